package org.wharf.checker.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Inspects a zip from its copy in the scratch directory: Unix modes (symbolic links, devices) are only in the
 * central directory, at the end of the file. Entry contents are streamed through counters and a CRC, never kept.
 * <p>
 * Throws on an unreadable central directory (any IOException or RuntimeException), {@link Meter.LimitExceeded} on
 * a limit and {@link ScratchFailure} when the scratch copy cannot be read; an unreadable entry is reported and the
 * next one inspected.
 * </p>
 */
final class ZipInspection {

    static final String FORMAT = "zip";
    /** Commons Compress holds the whole central directory in memory: bound it before opening. */
    static final long MAX_CENTRAL_DIRECTORY_BYTES = 64L * 1024 * 1024;
    /** Longer than any PATH_MAX: such a target cannot be a real link and is not resolved. */
    static final int MAX_SYMLINK_TARGET_BYTES = 4096;
    /**
     * Methods Software Heritage's loader (Python's zipfile) can extract and whose decoders have bounded memory.
     * LZMA is left out as Commons Compress cannot read it; XZ, Zstandard and the legacy methods because the loader
     * could not either, or their decoder's memory is not bounded.
     */
    private static final Set<Integer> METHODS = Set.of(ZipEntry.STORED, ZipEntry.DEFLATED, ZipMethod.BZIP2.getCode());

    private final Meter meter;
    private final EntryChecks checks;
    private final Findings findings;
    private final ArchiveLimits limits;

    ZipInspection(Meter meter, EntryChecks checks, Findings findings, ArchiveLimits limits) {
        this.meter = meter;
        this.checks = checks;
        this.findings = findings;
        this.limits = limits;
    }

    void inspect(Path copy) throws IOException {
        FileChannel file;
        try {
            file = FileChannel.open(copy, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new ScratchFailure(e);
        }
        try (ScratchChannel channel = new ScratchChannel(file)) {
            try {
                inspect(channel);
            } catch (IOException | RuntimeException e) {
                channel.checkFailure();
                throw e;
            }
        }
    }

    private void inspect(ScratchChannel channel) throws IOException {
        CentralDirectory directory = CentralDirectory.scan(channel, limits.maxEntries(), MAX_CENTRAL_DIRECTORY_BYTES);
        if (directory.records() > limits.maxEntries()) {
            meter.tooManyEntries();
        }
        if (directory.bytes() > MAX_CENTRAL_DIRECTORY_BYTES) {
            meter.centralDirectoryTooLarge(MAX_CENTRAL_DIRECTORY_BYTES);
        }
        channel.position(0);
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).setUseUnicodeExtraFields(true).get()) {
            byte[] buffer = new byte[64 * 1024];
            Enumeration<ZipArchiveEntry> entries = zip.getEntries();
            while (entries.hasMoreElements()) {
                meter.entry();
                inspect(zip, channel, entries.nextElement(), buffer);
            }
        }
    }

    private void inspect(ZipFile zip, ScratchChannel channel, ZipArchiveEntry entry, byte[] buffer) throws IOException {
        byte[] raw = entry.getRawName();
        boolean utf8Flag = entry.getGeneralPurposeBit().usesUTF8ForNames();
        String utf8 = EntryNames.strictUtf8(raw);
        // Without the flag the name is CP437 by the spec, but many tools write UTF-8 anyway: accept both.
        boolean cp437 = utf8 == null && !utf8Flag;
        String name = utf8 != null ? utf8 : cp437 ? new String(raw, EntryNames.CP437) : EntryNames.lenientUtf8(raw);
        String display = EntryNames.printable(raw, cp437);
        List<String> variants = new ArrayList<>(List.of(name));
        if (entry.getNameSource() == ZipArchiveEntry.NameSource.UNICODE_EXTRA_FIELD && !entry.getName().equals(name)) {
            // Info-ZIP's Unicode path field: some extractors use it instead of the raw name.
            variants.add(entry.getName());
        }
        boolean control = EntryNames.hasControl(raw) || variants.stream().anyMatch(EntryNames::hasControl);
        EntryChecks.Kind kind = kind(entry);

        byte[] target = readContent(zip, channel, entry, display, kind == EntryChecks.Kind.SYMLINK, buffer);
        if (!localNameMatches(channel, entry, raw)) {
            // Streaming extractors read the local header's name; Python's zipfile refuses a mismatch.
            findings.unreadable(FORMAT, display);
        }
        List<String> targets = List.of();
        if (target != null && target.length > MAX_SYMLINK_TARGET_BYTES) {
            findings.addEntry(ArchiveProblems.SYMLINK_OUTSIDE, display);
        } else if (target != null) {
            targets = List.of(EntryNames.lenientUtf8(target));
        }
        checks.check(new EntryChecks.Scanned(display, name, name, variants, utf8Flag && utf8 == null, control, kind,
                targets));
    }

    private static EntryChecks.Kind kind(ZipArchiveEntry entry) {
        if (entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX) {
            int type = entry.getUnixMode() & UnixStat.FILE_TYPE_FLAG;
            if (type == UnixStat.LINK_FLAG) {
                return EntryChecks.Kind.SYMLINK;
            }
            if (type == 0020000 || type == 0060000 || type == 0010000 || type == 0140000) {
                // character device, block device, FIFO, socket
                return EntryChecks.Kind.SPECIAL;
            }
        }
        return entry.isDirectory() ? EntryChecks.Kind.DIRECTORY : EntryChecks.Kind.FILE;
    }

    /**
     * Streams the content through the meter and a CRC, and compares both with the central directory, which may lie.
     * Returns the content of a symbolic link (its target; at most one byte more than the limit), an empty array for
     * other entries, or null when the entry is unreadable (reported).
     */
    private byte[] readContent(ZipFile zip, ScratchChannel channel, ZipArchiveEntry entry, String display,
            boolean symlink, byte[] buffer) throws IOException {
        if (entry.getGeneralPurposeBit().usesEncryption() || !METHODS.contains(entry.getMethod())) {
            findings.unreadable(FORMAT, display);
            return null;
        }
        CRC32 crc = new CRC32();
        long size = 0;
        ByteArrayOutputStream target = symlink ? new ByteArrayOutputStream() : null;
        try (InputStream in = zip.getInputStream(entry)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                crc.update(buffer, 0, n);
                size += n;
                meter.entryData(n);
                if (target != null && target.size() <= MAX_SYMLINK_TARGET_BYTES) {
                    target.write(buffer, 0, Math.min(n, MAX_SYMLINK_TARGET_BYTES + 1 - target.size()));
                }
            }
        } catch (Meter.LimitExceeded e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            channel.checkFailure();
            if (meter.exceeded() != null) {
                throw e;
            }
            findings.unreadable(FORMAT, display);
            return null;
        }
        if (entry.getSize() >= 0 && size != entry.getSize() || entry.getCrc() >= 0 && crc.getValue() != entry.getCrc()) {
            findings.unreadable(FORMAT, display);
            return null;
        }
        return target == null ? new byte[0] : target.toByteArray();
    }

    private static boolean localNameMatches(ScratchChannel channel, ZipArchiveEntry entry, byte[] raw) throws IOException {
        long offset = entry.getLocalHeaderOffset();
        ByteBuffer header = channel.readFully(offset, 30);
        if (header == null || header.getInt(0) != 0x04034b50 || Short.toUnsignedInt(header.getShort(26)) != raw.length) {
            return false;
        }
        ByteBuffer name = channel.readFully(offset + 30, raw.length);
        return name != null && Arrays.equals(name.array(), raw);
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
     * The scratch copy, read-only, remembering the first I/O failure: that one is transient, to be told apart from
     * the exceptions Commons Compress raises on a corrupt archive.
     */
    static final class ScratchChannel implements SeekableByteChannel {
        private final FileChannel file;
        private IOException failure;

        ScratchChannel(FileChannel file) {
            this.file = file;
        }

        void checkFailure() throws ScratchFailure {
            if (failure != null) {
                throw new ScratchFailure(failure);
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
