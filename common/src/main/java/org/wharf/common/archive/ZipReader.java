package org.wharf.common.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Set;
import java.util.zip.ZipEntry;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Reads a zip from its copy in the scratch directory (Unix modes, hence symbolic links and devices,
 * are only in the central directory, at the end of the file). The central directory is counted and
 * bounded before Commons Compress loads it; entries and their content go through the {@link Meter}.
 * A failure of the scratch copy is a {@link CallerFailure}, never the archive's.
 */
public final class ZipReader implements Closeable {

    /**
     * Methods Software Heritage's loader (Python's zipfile) can extract and whose decoders have bounded memory.
     * LZMA is left out as Commons Compress cannot read it; XZ, Zstandard and the legacy methods because the loader
     * could not either, or their decoder's memory is not bounded.
     */
    private static final Set<Integer> METHODS = Set.of(ZipEntry.STORED, ZipEntry.DEFLATED, ZipMethod.BZIP2.getCode());

    private final Meter meter;
    private final ScratchChannel channel;
    private final ZipFile zip;
    private final Enumeration<ZipArchiveEntry> entries;

    private ZipReader(Meter meter, ScratchChannel channel, ZipFile zip) {
        this.meter = meter;
        this.channel = channel;
        this.zip = zip;
        this.entries = zip.getEntries();
    }

    static ZipReader open(Path copy, Meter meter, ArchiveLimits limits) throws IOException {
        FileChannel file;
        try {
            file = FileChannel.open(copy, StandardOpenOption.READ);
        } catch (IOException e) {
            throw CallerFailure.of(e);
        }
        ScratchChannel channel = new ScratchChannel(file);
        try {
            CentralDirectory directory = CentralDirectory.scan(channel, limits.maxEntries(), ArchiveLimits.MAX_CENTRAL_DIRECTORY_BYTES);
            if (directory.records() > limits.maxEntries()) {
                meter.tooManyEntries();
            }
            if (directory.bytes() > ArchiveLimits.MAX_CENTRAL_DIRECTORY_BYTES) {
                meter.centralDirectoryTooLarge(ArchiveLimits.MAX_CENTRAL_DIRECTORY_BYTES);
            }
            channel.position(0);
            ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).setUseUnicodeExtraFields(true).get();
            return new ZipReader(meter, channel, zip);
        } catch (IOException | RuntimeException e) {
            channel.close();
            channel.checkFailure();
            throw e;
        }
    }

    /** The next entry of the central directory, counted; null after the last. */
    public ZipArchiveEntry next() throws IOException {
        if (!entries.hasMoreElements()) {
            return null;
        }
        meter.entry();
        return entries.nextElement();
    }

    /** Not encrypted, and in a method both Wharf and Software Heritage's loader can read within bounded memory. */
    public boolean readable(ZipArchiveEntry entry) {
        return !entry.getGeneralPurposeBit().usesEncryption() && METHODS.contains(entry.getMethod())
                && zip.canReadEntryData(entry);
    }

    /** The entry's content as decompressed, counted against the limits; the caller closes it. */
    public InputStream content(ZipArchiveEntry entry) throws IOException {
        return new ObservedStream(zip.getInputStream(entry)) {
            @Override
            protected void observed(byte[] buffer, int offset, int n) throws IOException {
                meter.entryData(n);
            }
        };
    }

    /** Streaming extractors read the local header's name; Python's zipfile refuses a mismatch with the central one. */
    public boolean localNameMatches(ZipArchiveEntry entry) throws IOException {
        byte[] raw = entry.getRawName();
        long offset = entry.getLocalHeaderOffset();
        ByteBuffer header = channel.readFully(offset, 30);
        if (header == null || header.getInt(0) != 0x04034b50 || Short.toUnsignedInt(header.getShort(26)) != raw.length) {
            return false;
        }
        ByteBuffer name = channel.readFully(offset + 30, raw.length);
        return name != null && Arrays.equals(name.array(), raw);
    }

    /** Throws the scratch copy's first failure, if a library swallowed it; else nothing. */
    public void checkFailure() {
        channel.checkFailure();
    }

    @Override
    public void close() throws IOException {
        try {
            zip.close();
        } finally {
            channel.close();
        }
    }

    /**
     * Counts the central directory records before Commons Compress loads them all, locating the directory exactly
     * as {@link ZipFile} does (end record searched backwards, Zip64 locator, offset fix-up for prepended data) so
     * that both see the same records.
     */
    record CentralDirectory(long records, long bytes) {

        private static final int EOCD_SIGNATURE = 0x06054b50;
        private static final int EOCD_MIN_LENGTH = 22;
        private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
        private static final int ZIP64_LOCATOR_LENGTH = 20;
        private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
        private static final int CFH_SIGNATURE = 0x02014b50;
        private static final int CFH_LENGTH = 46;

        static CentralDirectory scan(ScratchChannel channel, long maxRecords, long maxBytes) throws IOException {
            long eocd = findEndRecord(channel);
            if (eocd < 0) {
                return new CentralDirectory(0, 0); // Commons Compress will fail on it too
            }
            long start;
            ByteBuffer locator = eocd > ZIP64_LOCATOR_LENGTH ? channel.readFully(eocd - ZIP64_LOCATOR_LENGTH, 16) : null;
            if (locator != null && locator.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
                long zip64End = locator.getLong(8);
                ByteBuffer end = channel.readFully(zip64End, 56);
                if (end == null || end.getInt(0) != ZIP64_EOCD_SIGNATURE) {
                    return new CentralDirectory(0, 0);
                }
                start = end.getLong(48);
            } else {
                ByteBuffer end = channel.readFully(eocd, EOCD_MIN_LENGTH);
                long length = Integer.toUnsignedLong(end.getInt(12));
                long offset = Integer.toUnsignedLong(end.getInt(16));
                start = offset + Math.max(eocd - length - offset, 0);
            }
            long position = start;
            long records = 0;
            while (records <= maxRecords && position - start <= maxBytes) {
                ByteBuffer header = channel.readFully(position, CFH_LENGTH);
                if (header == null || header.getInt(0) != CFH_SIGNATURE) {
                    break;
                }
                position += CFH_LENGTH + Short.toUnsignedInt(header.getShort(28))
                        + Short.toUnsignedInt(header.getShort(30)) + Short.toUnsignedInt(header.getShort(32));
                records++;
            }
            return new CentralDirectory(records, position - start);
        }

        private static long findEndRecord(ScratchChannel channel) throws IOException {
            long size = channel.size();
            if (size < EOCD_MIN_LENGTH) {
                return -1;
            }
            int tail = (int) Math.min(size, EOCD_MIN_LENGTH + 0xFFFF);
            ByteBuffer bytes = channel.readFully(size - tail, tail);
            if (bytes == null) {
                return -1;
            }
            for (int i = tail - EOCD_MIN_LENGTH; i >= 0; i--) {
                if (bytes.getInt(i) == EOCD_SIGNATURE) {
                    return size - tail + i;
                }
            }
            return -1;
        }
    }

    /**
     * The scratch copy, read-only, remembering the first I/O failure: that one is the reading side's, to be told
     * apart from the exceptions Commons Compress raises on a corrupt archive.
     */
    static final class ScratchChannel implements SeekableByteChannel {
        private final FileChannel file;
        private IOException failure;

        ScratchChannel(FileChannel file) {
            this.file = file;
        }

        void checkFailure() {
            if (failure != null) {
                throw CallerFailure.of(failure);
            }
        }

        private IOException failed(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }

        /** Little-endian bytes at {@code position}, or null if the file ends before. Does not move the position. */
        ByteBuffer readFully(long position, int length) throws IOException {
            if (position < 0 || position > size() - length) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            try {
                while (buffer.hasRemaining()) {
                    if (file.read(buffer, position + buffer.position()) < 0) {
                        return null;
                    }
                }
            } catch (IOException e) {
                throw failed(e);
            }
            return buffer.flip();
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            try {
                return file.read(destination);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public int write(ByteBuffer source) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            try {
                return file.position();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public SeekableByteChannel position(long position) throws IOException {
            try {
                file.position(position);
                return this;
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public long size() throws IOException {
            try {
                return file.size();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
