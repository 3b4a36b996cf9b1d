package org.wharf.loader.swhid;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.commons.compress.MemoryLimitException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.wharf.common.archive.ArchiveLimits;
import org.wharf.common.archive.ArchiveReader;
import org.wharf.common.archive.CallerFailure;
import org.wharf.common.archive.TarEntry;
import org.wharf.common.archive.TarReader;
import org.wharf.common.archive.ZipReader;

/**
 * Computes the Software Heritage directory id ({@code swh:1:dir:}) of the tree an archive would
 * extract to, without extracting it: the archive root is the tree root, and the id equals what
 * {@code git add -A && git write-tree} gives in the extracted directory (empty directories aside,
 * which git cannot record and Software Heritage keeps).
 *
 * <p>The archive is read by the platform's one {@link ArchiveReader}, as the checker reads it: the
 * same formats (recognised from content), the same raw tar names, and the same {@link ArchiveLimits},
 * so an archive sent straight to the loader cannot exhaust it either. File content is hashed while
 * streaming and never held in memory.
 *
 * <p>Failures of the caller's stream and of the scratch directory surface as {@link IOException};
 * failures of the sink unchanged; everything that is the archive's fault surfaces as
 * {@link UnsupportedArchiveException} with a message fit for the depositor. Instances are
 * stateless and thread-safe.
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

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    private static final int MAX_DETAIL_CHARS = 200;

    private final ArchiveReader reader;

    /** With the platform's default limits. */
    public ArchiveTreeHasher() {
        this(ArchiveLimits.defaults());
    }

    public ArchiveTreeHasher(ArchiveLimits limits) {
        this.reader = new ArchiveReader(limits);
    }

    /**
     * Hashes the archive read from {@code archive}, which is consumed but not closed.
     *
     * @param archive the archive bytes
     * @param scratchDir an existing directory for temporary files (a zip is copied there, then deleted)
     * @return the id of the archive's root directory
     * @throws UnsupportedArchiveException unknown format ({@value #NOT_SUPPORTED}), damaged data
     *     (message starts with {@value #CORRUPT_PREFIX}), a limit crossed (message names it), or an
     *     entry that cannot be represented (message names the entry)
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
        Objects.requireNonNull(sink, "sink");
        ObjectId[] root = new ObjectId[1];
        ArchiveReader.Outcome outcome = reader.read(archive, scratchDir, new ArchiveReader.Entries<UnsupportedArchiveException>() {
            @Override
            public void tar(TarReader tar) throws IOException, UnsupportedArchiveException {
                root[0] = hashTar(tar, sink);
            }

            @Override
            public void zip(ZipReader zip) throws IOException, UnsupportedArchiveException {
                root[0] = hashZip(zip, sink);
            }
        });
        ArchiveReader.Refusal refusal = outcome.refusal();
        if (refusal instanceof ArchiveReader.Unsupported) {
            throw new UnsupportedArchiveException(NOT_SUPPORTED);
        }
        if (refusal instanceof ArchiveReader.LimitCrossed crossed) {
            throw new UnsupportedArchiveException(crossed.limit().summary());
        }
        if (refusal instanceof ArchiveReader.Unreadable unreadable) {
            throw unreadable(unreadable.cause());
        }
        return root[0];
    }

    private static ObjectId hashTar(TarReader tar, ContentSink sink) throws IOException, UnsupportedArchiveException {
        DirectoryTree tree = new DirectoryTree();
        TarEntry entry;
        while ((entry = tar.next()) != null) {
            byte[] name = entry.name();
            TarArchiveEntry header = entry.header();
            switch (entry.kind()) {
                case DIRECTORY -> addDirectory(tree, name);
                case SYMLINK -> {
                    byte[] target = entry.linkTarget();
                    addSymlink(tree, name, content(sink, target.length, new ByteArrayInputStream(target)));
                }
                case HARD_LINK -> throw rejected("hard link", name);
                case SPECIAL -> throw rejected(header.isFIFO() ? "named pipe" : "device file", name);
                case FILE -> {
                    // a sparse file extracts at its real size, holes as zeros; the reader meters what it expands to
                    long size = header.getRealSize();
                    if (size < 0) {
                        throw new IOException("negative size for " + Names.printable(name));
                    }
                    ObjectId id = content(sink, size, tar.content());
                    addFile(tree, name, (header.getMode() & EXECUTABLE_BITS) != 0, id);
                }
                case OTHER -> throw rejected("tar entry of type '" + Names.printable(new byte[] {header.getLinkFlag()}) + "'", name);
                default -> throw new IllegalStateException(entry.kind().name());
            }
        }
        return directories(tree, sink);
    }

    private static ObjectId hashZip(ZipReader zip, ContentSink sink) throws IOException, UnsupportedArchiveException {
        DirectoryTree tree = new DirectoryTree();
        ZipArchiveEntry entry;
        while ((entry = zip.next()) != null) {
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
            if (!zip.readable(entry)) {
                throw rejected("encrypted or unsupported-compression zip entry", name);
            }
            long size = entry.getSize();
            if (size < 0) {
                throw new IOException("zip entry without a size: " + Names.printable(name));
            }
            ObjectId id;
            try (InputStream data = zip.content(entry)) {
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
     * failures (the reader's to classify); failures of the sink are {@link CallerFailure}s, which
     * the reader hands back to our caller unchanged.
     */
    private static ObjectId content(ContentSink sink, long size, InputStream data) throws IOException {
        ContentSink.Content target = bySink(() -> sink.open(size));
        boolean hashed = false;
        try {
            ObjectId id = GitObjectHasher.blobId(size, data, new ContentSink.Content() {
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
            });
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

    private static <T> T bySink(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw CallerFailure.of(e);
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

    /** A decompression bomb of the decoder's memory is refused as such; anything else the archive damaged. */
    private static UnsupportedArchiveException unreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MemoryLimitException) {
                return new UnsupportedArchiveException(
                        "archive not supported: decompressing it needs more memory than allowed", failure);
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
}
