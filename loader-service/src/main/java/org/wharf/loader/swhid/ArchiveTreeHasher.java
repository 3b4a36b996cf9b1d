package org.wharf.loader.swhid;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.compress.MemoryLimitException;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZUtils;

/**
 * Computes the Software Heritage directory id ({@code swh:1:dir:}) of the tree an archive would
 * extract to, without extracting it: the archive root is the tree root, and the id equals what
 * {@code git add -A && git write-tree} gives in the extracted directory (empty directories aside,
 * which git cannot record and Software Heritage keeps).
 *
 * <p>Supported: zip, and tar either plain or compressed with gzip, bzip2 or xz, recognised from
 * their content, never from a file name. Tar is read in one streaming pass; zip is first copied to
 * a temporary file because the Unix modes (executable bit, symlink flag) live only in its central
 * directory at the end. File content is hashed while streaming and never held in memory.
 *
 * <p>Failures of the caller's stream and of the scratch directory surface as {@link IOException};
 * everything that is the archive's fault surfaces as {@link UnsupportedArchiveException} with a
 * message fit for the depositor. Instances are stateless and thread-safe.
 */
public final class ArchiveTreeHasher {

    /** Message for input in no supported format. */
    public static final String NOT_SUPPORTED = "archive type not supported";

    /** Prefix of the message for damaged input. */
    public static final String CORRUPT_PREFIX = "archive is corrupt or truncated: ";

    /**
     * Which mode bits make a file executable. Git ({@code core.fileMode}) and the Software Heritage
     * tarball loader (which normalises extracted files to 0755/0644 on the owner's bit before
     * hashing) both look at the owner's execute bit only; using any of 0111 would give a different
     * id for the rare file that only group or others may execute.
     */
    static final int EXECUTABLE_BITS = 0100;

    /** Every xz preset (up to -9e, 64 MiB dictionary) decodes well within this; hostile headers can ask for more. */
    private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    private static final int MAX_DETAIL_CHARS = 200;

    private static final Set<String> TAR_COMPRESSORS = Set.of(
            CompressorStreamFactory.GZIP, CompressorStreamFactory.BZIP2, CompressorStreamFactory.XZ);

    /**
     * Hashes the archive read from {@code archive}, which is consumed but not closed.
     *
     * @param archive the archive bytes
     * @param scratchDir an existing directory for temporary files (a zip is copied there, then deleted)
     * @return the id of the archive's root directory
     * @throws UnsupportedArchiveException unknown format ({@value #NOT_SUPPORTED}), damaged data
     *     (message starts with {@value #CORRUPT_PREFIX}), or an entry that cannot be represented
     *     (message names the entry)
     * @throws IOException if reading {@code archive} or using {@code scratchDir} fails
     */
    public ObjectId rootDirectoryId(InputStream archive, Path scratchDir)
            throws IOException, UnsupportedArchiveException {
        return rootDirectoryId(archive, scratchDir, ContentSink.NONE);
    }

    /**
     * As {@link #rootDirectoryId(InputStream, Path)}, handing every content and directory to {@code sink}
     * in the same pass; what the sink throws reaches the caller unchanged.
     */
    public ObjectId rootDirectoryId(InputStream archive, Path scratchDir, ContentSink sink)
            throws IOException, UnsupportedArchiveException {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(scratchDir, "scratchDir");
        Objects.requireNonNull(sink, "sink");
        BufferedInputStream in = new BufferedInputStream(new SourceStream(archive), BUFFER_SIZE);
        try {
            return hash(in, scratchDir, sink);
        } catch (SinkFailure e) {
            throw e.original();
        } catch (IOException e) {
            throw classify(e);
        }
    }

    private static ObjectId hash(BufferedInputStream in, Path scratchDir, ContentSink sink)
            throws IOException, UnsupportedArchiveException {
        String compressor = detectCompressor(in);
        if (compressor == null) {
            String format = detectArchiver(in);
            if (ArchiveStreamFactory.ZIP.equals(format)) {
                return hashZip(in, scratchDir, sink);
            }
            if (ArchiveStreamFactory.TAR.equals(format)) {
                try (RawNameTarInputStream tar = new RawNameTarInputStream(in)) {
                    return hashTar(tar, sink);
                }
            }
            throw new UnsupportedArchiveException(NOT_SUPPORTED);
        }
        if (!TAR_COMPRESSORS.contains(compressor)) {
            throw new UnsupportedArchiveException(NOT_SUPPORTED);
        }
        if (compressor.equals(CompressorStreamFactory.XZ) && !XZUtils.isXZCompressionAvailable()) {
            // A deployment mistake, not the depositor's: fail loudly instead of rejecting the upload.
            throw new IllegalStateException("reading tar.xz needs org.tukaani:xz on the class path");
        }
        // Closing this chain ends at SourceStream, which keeps the caller's stream open.
        try (InputStream decompressed = parsing(() -> openDecompressor(compressor, in))) {
            BufferedInputStream inner = new BufferedInputStream(decompressed, BUFFER_SIZE);
            if (!ArchiveStreamFactory.TAR.equals(detectArchiver(inner))) {
                throw new UnsupportedArchiveException(NOT_SUPPORTED);
            }
            try (RawNameTarInputStream tar = new RawNameTarInputStream(inner)) {
                return hashTar(tar, sink);
            }
        }
    }

    /** The compressor name, or null when the data does not start with any known compression magic. */
    private static String detectCompressor(BufferedInputStream in) throws IOException {
        try {
            return CompressorStreamFactory.detect(in);
        } catch (CompressorException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            return null;
        }
    }

    /** The archive format name, or null when none is recognised. */
    private static String detectArchiver(BufferedInputStream in) throws IOException {
        try {
            return ArchiveStreamFactory.detect(in);
        } catch (ArchiveException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            return null;
        }
    }

    private static InputStream openDecompressor(String compressor, InputStream in) throws IOException {
        // Concatenated members are decoded like gzip/bzip2/xz do, so a multi-member file hashes like its extraction.
        switch (compressor) {
            case CompressorStreamFactory.GZIP:
                return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case CompressorStreamFactory.BZIP2:
                return new BZip2CompressorInputStream(in, true);
            case CompressorStreamFactory.XZ:
                return XZCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true)
                        .setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB).get();
            default:
                throw new IllegalArgumentException(compressor);
        }
    }

    private static ObjectId hashTar(RawNameTarInputStream tar, ContentSink sink)
            throws IOException, UnsupportedArchiveException {
        DirectoryTree tree = new DirectoryTree();
        TarArchiveEntry entry;
        while ((entry = parsing(tar::nextEntry)) != null) {
            byte[] name = tar.rawName();
            if (entry.isDirectory()) {
                addDirectory(tree, name);
            } else if (entry.isSymbolicLink()) {
                byte[] target = tar.rawLinkTarget();
                addSymlink(tree, name, content(sink, target.length, new java.io.ByteArrayInputStream(target)));
            } else if (entry.isLink()) {
                throw rejected("hard link", name);
            } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
                throw rejected("device file", name);
            } else if (entry.isFIFO()) {
                throw rejected("named pipe", name);
            } else if (isRegularFile(entry)) {
                long size = entry.getRealSize();
                if (size < 0) {
                    throw new IOException("negative size for " + Names.printable(name));
                }
                ObjectId id = content(sink, size, tar);
                addFile(tree, name, (entry.getMode() & EXECUTABLE_BITS) != 0, id);
            } else {
                throw rejected("tar entry of type '" + Names.printable(new byte[] {entry.getLinkFlag()}) + "'", name);
            }
        }
        return directories(tree, sink);
    }

    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                || type == TarConstants.LF_CONTIG || entry.isGNUSparse();
    }

    private static ObjectId hashZip(InputStream in, Path scratchDir, ContentSink sink)
            throws IOException, UnsupportedArchiveException {
        Path copy;
        try {
            copy = Files.createTempFile(scratchDir, "archive-", ".zip");
        } catch (IOException e) {
            throw new PassThrough(e);
        }
        Throwable failure = null;
        try {
            try (OutputStream out = Files.newOutputStream(copy)) {
                in.transferTo(out);
            } catch (PassThrough e) {
                throw e;
            } catch (IOException e) {
                throw new PassThrough(e);
            }
            try (ZipFile zip = parsing(() -> ZipFile.builder().setPath(copy).get())) {
                return hashZipEntries(zip, sink);
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    throw new PassThrough(e);
                }
            }
        }
    }

    private static ObjectId hashZipEntries(ZipFile zip, ContentSink sink) throws IOException, UnsupportedArchiveException {
        DirectoryTree tree = new DirectoryTree();
        for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
            byte[] name = entry.getRawName();
            if (name == null) {
                name = entry.getName().getBytes(StandardCharsets.UTF_8);
            }
            // Extractors decide "directory" on the trailing slash alone, so do the same.
            if (name.length > 0 && name[name.length - 1] == '/') {
                addDirectory(tree, name);
                continue;
            }
            int mode = entry.getUnixMode(); // 0 unless the entry was made on Unix
            int type = mode & S_IFMT;
            if (type != 0 && type != S_IFREG && type != S_IFLNK) {
                throw rejected(type == S_IFDIR ? "directory without a trailing slash"
                        : "unix file type 0" + Integer.toOctalString(type), name);
            }
            if (!zip.canReadEntryData(entry)) {
                throw rejected("encrypted or unsupported-compression zip entry", name);
            }
            long size = entry.getSize();
            if (size < 0) {
                throw new IOException("zip entry without a size: " + Names.printable(name));
            }
            ObjectId id;
            try (InputStream data = parsing(() -> zip.getInputStream(entry))) {
                id = content(sink, size, data);
            }
            // A zip symlink is an entry flagged S_IFLNK whose data is the target path.
            if (type == S_IFLNK) {
                addSymlink(tree, name, id);
            } else {
                addFile(tree, name, (mode & EXECUTABLE_BITS) != 0, id);
            }
        }
        return directories(tree, sink);
    }

    /**
     * Hashes one content while handing its bytes to the sink. Failures of the archive stay I/O
     * failures (classified later); failures of the sink are wrapped so nothing mistakes them for the archive's.
     */
    private static ObjectId content(ContentSink sink, long size, InputStream data) throws IOException {
        ContentSink.Content target = bySink(() -> sink.open(size));
        boolean hashed = false;
        try {
            ObjectId id = parsing(() -> GitObjectHasher.blobId(size, data, new ContentSink.Content() {
                @Override
                public void write(byte[] buffer, int offset, int length) {
                    bySink(() -> {
                        target.write(buffer, offset, length);
                        return null;
                    });
                }

                @Override
                public void hashed(ObjectId ignored) {
                }
            }));
            bySink(() -> {
                target.hashed(id);
                return null;
            });
            hashed = true;
            return id;
        } finally {
            if (!hashed) {
                bySink(() -> {
                    target.abandon();
                    return null;
                });
            }
        }
    }

    private static ObjectId directories(DirectoryTree tree, ContentSink sink) {
        return bySink(() -> tree.rootId(sink));
    }

    private static <T> T bySink(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SinkFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    /** A failure of the sink (the store), carried past the archive's error handling untouched. */
    private static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailure(RuntimeException original) {
            super(original.getMessage(), original, false, false);
        }

        RuntimeException original() {
            return (RuntimeException) getCause();
        }
    }

    private static void addDirectory(DirectoryTree tree, byte[] name) throws UnsupportedArchiveException {
        try {
            tree.addDirectory(name);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedArchiveException("archive entry rejected: " + e.getMessage(), e);
        }
    }

    private static void addSymlink(DirectoryTree tree, byte[] name, ObjectId id) throws UnsupportedArchiveException {
        try {
            tree.addSymlink(name, id);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedArchiveException("archive entry rejected: " + e.getMessage(), e);
        }
    }

    private static void addFile(DirectoryTree tree, byte[] name, boolean executable, ObjectId id)
            throws UnsupportedArchiveException {
        try {
            tree.addFile(name, executable, id);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedArchiveException("archive entry rejected: " + e.getMessage(), e);
        }
    }

    private static UnsupportedArchiveException rejected(String what, byte[] name) {
        return new UnsupportedArchiveException("archive entry not supported: " + what + ": " + Names.printable(name));
    }

    /**
     * Sorts an I/O failure: the caller's stream or our disk failing is rethrown unchanged; a
     * decompression bomb or oversized header is refused; anything else the archive caused.
     */
    private static UnsupportedArchiveException classify(IOException failure) throws IOException {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PassThrough pass) {
                throw pass.original();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MemoryLimitException) {
                return new UnsupportedArchiveException(
                        "archive not supported: decompressing it needs more memory than allowed", failure);
            }
            if (t instanceof RawNameTarInputStream.LimitExceededException) {
                return new UnsupportedArchiveException("archive not supported: " + t.getMessage(), failure);
            }
        }
        return new UnsupportedArchiveException(CORRUPT_PREFIX + describe(failure), failure);
    }

    /** One line, no stack trace: the first message found down the cause chain. */
    private static String describe(Throwable failure) {
        String detail = null;
        for (Throwable t = failure; t != null && detail == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                detail = t.getMessage();
            }
        }
        if (detail == null) {
            // Decoders often throw a bare EOFException when the data simply stops.
            boolean eof = false;
            for (Throwable t = failure; t != null; t = t.getCause()) {
                eof |= t instanceof EOFException;
            }
            detail = eof ? "unexpected end of data" : "unreadable data";
        }
        detail = detail.replaceAll("\\s+", " ").trim();
        return detail.length() > MAX_DETAIL_CHARS ? detail.substring(0, MAX_DETAIL_CHARS) + "..." : detail;
    }

    @FunctionalInterface
    private interface ArchiveRead<T> {
        T run() throws IOException;
    }

    /** Commons Compress reports some malformed input with unchecked exceptions; treat them as I/O failures of the archive. */
    private static <T> T parsing(ArchiveRead<T> read) throws IOException {
        try {
            return read.run();
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                | ArithmeticException | NegativeArraySizeException e) {
            throw new IOException(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
        }
    }

    /** An I/O failure that is not the archive's fault, carried through the decoders untouched. */
    private static final class PassThrough extends IOException {
        private static final long serialVersionUID = 1L;

        PassThrough(IOException original) {
            super(original.getMessage(), original);
        }

        IOException original() {
            return (IOException) getCause();
        }
    }

    /**
     * Wraps the caller's stream: marks its failures so they are not blamed on the archive, and
     * ignores close() because the stream belongs to the caller while the decoders stacked on it
     * must still be closed to release their native resources.
     */
    private static final class SourceStream extends FilterInputStream {

        SourceStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new PassThrough(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new PassThrough(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw new PassThrough(e);
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return super.available();
            } catch (IOException e) {
                throw new PassThrough(e);
            }
        }

        @Override
        public void close() {
            // the caller's stream: theirs to close
        }
    }
}
