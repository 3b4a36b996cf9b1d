package org.wharf.backup.directory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.io.file.PathUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.wharf.backup.stream.BackupStream;
import org.wharf.backup.stream.Compression;
import org.wharf.backup.stream.ProducedStream;
import org.wharf.backup.stream.SourceFailedException;

/**
 * A directory target's backup: a tar stream (POSIX headers: long names, big sizes) of its files,
 * directories and symbolic links, with their modes and modification times, written as it is read.
 * Restoring extracts into a staging directory beside the destination and renames it into place, so
 * that a failed restore leaves nothing half-written; hostile entries (absolute, {@code ..}, links
 * written through) are refused.
 */
public final class DirectoryTar {

    private DirectoryTar() {
    }

    /** What a tar holds: files, directories, symlinks and the files' bytes. */
    public static final class Counts {
        long files;
        long directories;
        long symlinks;
        long bytes;

        public Map<String, Long> asMap() {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("files", files);
            counts.put("directories", directories);
            counts.put("symlinks", symlinks);
            counts.put("bytes", bytes);
            return counts;
        }
    }

    /** The directory's tar, compressed, as a stream; it fails at its end if a file could not be read whole. */
    public static BackupStream stream(Path root, Compression compression) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new SourceFailedException("the target's directory " + root + " does not exist or is not a directory");
        }
        InputStream bytes = ProducedStream.of("backup-tar", out -> {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compression.compress(out))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                write(root, tar);
                tar.finish();
            }
        });
        return new BackupStream() {
            @Override
            public InputStream output() {
                return bytes;
            }

            @Override
            public void close() {
                try {
                    bytes.close();
                } catch (IOException ignored) {
                    // nothing more to read
                }
            }
        };
    }

    private static void write(Path root, TarArchiveOutputStream tar) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    TarArchiveEntry entry = new TarArchiveEntry(dir, name(root, dir) + "/", LinkOption.NOFOLLOW_LINKS);
                    entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode(dir));
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = name(root, file);
                if (attrs.isSymbolicLink()) {
                    TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    link.setLinkName(Files.readSymbolicLink(file).toString());
                    link.setModTime(attrs.lastModifiedTime());
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else if (attrs.isRegularFile()) {
                    TarArchiveEntry entry = new TarArchiveEntry(file, name, LinkOption.NOFOLLOW_LINKS);
                    entry.setSize(attrs.size());
                    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode(file));
                    tar.putArchiveEntry(entry);
                    try (InputStream in = Files.newInputStream(file)) {
                        // The size in the header is the size when the walk saw the file: a file that grew
                        // is cut there (the tar stays whole); one that shrank cannot be backed up as it was.
                        long copied = BoundedInputStream.builder().setInputStream(in).setMaxCount(attrs.size()).get()
                                .transferTo(tar);
                        if (copied < attrs.size()) {
                            throw new SourceFailedException(name + " shrank while it was being backed up");
                        }
                    } catch (AccessDeniedException e) {
                        throw new SourceFailedException(name + " cannot be read: permission denied");
                    }
                    tar.closeArchiveEntry();
                }
                // Sockets, pipes and devices are not data: left out.
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted since its directory was listed: it is not there to keep
                }
                throw new SourceFailedException(name(root, file) + " cannot be read: " + e.getClass().getSimpleName());
            }
        });
    }

    /** The permission bits, as tar keeps them. */
    private static int mode(Path path) throws IOException {
        int mode = 0;
        PosixFilePermission[] bits = PosixFilePermission.values();
        Set<PosixFilePermission> set = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        for (int i = 0; i < bits.length; i++) {
            if (set.contains(bits[i])) {
                mode |= 1 << (8 - i);
            }
        }
        return mode;
    }

    private static String name(Path root, Path file) {
        return root.relativize(file).toString().replace(File.separatorChar, '/');
    }

    /** Reads a tar to its end, checking each entry as a restore would, and counts what it holds. */
    public static Counts read(InputStream tarBytes) throws IOException {
        Counts counts = new Counts();
        Names names = new Names();
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            names.check(entry, safeName(entry));
            count(entry, counts);
            if (entry.isFile()) {
                long read = tar.transferTo(OutputStream.nullOutputStream());
                if (read != entry.getSize()) {
                    throw new SourceFailedException("the tar ends inside " + entry.getName());
                }
            }
        }
        return counts;
    }

    /**
     * Restores the tar into {@code into}: extracted beside it, then renamed into place (replacing it when
     * {@code replace}, else it must not exist).
     */
    public static Counts restore(InputStream tarBytes, Path into, boolean replace) throws IOException {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Path staging = into.resolveSibling("." + into.getFileName() + ".wharf-restore-" + unique);
        Files.createDirectory(staging);
        Counts counts;
        try {
            counts = extract(tarBytes, staging);
        } catch (IOException | RuntimeException e) {
            PathUtils.deleteDirectory(staging);
            throw e;
        }
        if (Files.exists(into, LinkOption.NOFOLLOW_LINKS)) {
            if (!replace) {
                PathUtils.deleteDirectory(staging);
                throw new FileAlreadyExistsException(into + " exists");
            }
            // Never both copies lost: the old one aside, the new one in, and only then the old one deleted;
            // if the new one cannot go in, the old one goes back.
            Path old = into.resolveSibling("." + into.getFileName() + ".wharf-replaced-" + unique);
            Files.move(into, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(staging, into, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.move(old, into, StandardCopyOption.ATOMIC_MOVE);
                PathUtils.deleteDirectory(staging);
                throw e;
            }
            PathUtils.deleteDirectory(old);
        } else {
            Files.move(staging, into, StandardCopyOption.ATOMIC_MOVE);
        }
        return counts;
    }

    private static Counts extract(InputStream tarBytes, Path into) throws IOException {
        Counts counts = new Counts();
        // Links are made last, so that no entry is ever written through one; directories get their
        // modes and times last, so that a read-only one is still filled.
        List<TarArchiveEntry> links = new ArrayList<>();
        Deque<TarArchiveEntry> directories = new ArrayDeque<>();
        Names names = new Names();
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            String name = safeName(entry);
            names.check(entry, name);
            Path path = into.resolve(name);
            count(entry, counts);
            if (entry.isDirectory()) {
                noLinkOnTheWay(into, path);
                Files.createDirectories(path);
                directories.push(entry);
            } else if (entry.isSymbolicLink()) {
                links.add(entry);
            } else {
                noLinkOnTheWay(into, path);
                Files.createDirectories(path.getParent());
                try {
                    long copied = Files.copy(tar, path);
                    if (copied != entry.getSize()) {
                        throw new SourceFailedException("the tar ends inside " + entry.getName());
                    }
                } catch (FileAlreadyExistsException e) {
                    throw new SourceFailedException("the tar holds " + entry.getName() + " twice");
                }
                settle(path, entry);
            }
        }
        for (TarArchiveEntry link : links) {
            Path path = into.resolve(safeName(link));
            noLinkOnTheWay(into, path);
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(link.getLinkName()));
        }
        while (!directories.isEmpty()) {
            TarArchiveEntry dir = directories.pop();
            settle(into.resolve(safeName(dir)), dir);
        }
        return counts;
    }

    /**
     * The names seen so far in a tar: an entry below a link entry (say {@code a -> /tmp/x}, then
     * {@code a/b -> /} or {@code a/passwd}) would be written through that link, so it is refused.
     */
    private static final class Names {
        private final Set<String> links = new HashSet<>();
        private final Set<String> parents = new HashSet<>();

        void check(TarArchiveEntry entry, String name) throws SourceFailedException {
            for (Path parent = Path.of(name).getParent(); parent != null; parent = parent.getParent()) {
                if (links.contains(parent.toString())) {
                    throw new SourceFailedException("the tar holds " + entry.getName() + ", below its symlink " + parent
                            + ": it would be written through the link");
                }
            }
            if (entry.isSymbolicLink()) {
                if (parents.contains(name)) {
                    throw new SourceFailedException("the tar holds a symlink " + entry.getName() + " where it has entries below it");
                }
                links.add(name);
            }
            for (Path parent = Path.of(name).getParent(); parent != null; parent = parent.getParent()) {
                parents.add(parent.toString());
            }
        }
    }

    /** Fails if a directory between {@code root} and {@code path} is a symlink: nothing is written through one. */
    private static void noLinkOnTheWay(Path root, Path path) throws SourceFailedException {
        for (Path dir = path.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root); dir = dir.getParent()) {
            if (Files.isSymbolicLink(dir)) {
                throw new SourceFailedException(root.relativize(path) + " would be written through the symlink " + root.relativize(dir));
            }
        }
    }

    private static void count(TarArchiveEntry entry, Counts counts) throws SourceFailedException {
        if (entry.isDirectory()) {
            counts.directories++;
        } else if (entry.isSymbolicLink()) {
            counts.symlinks++;
        } else if (entry.isFile() && !entry.isLink()) {
            counts.files++;
            counts.bytes += entry.getSize();
        } else {
            throw new SourceFailedException("the tar holds " + entry.getName() + ", which is neither a file, a directory nor a symlink");
        }
    }

    /** The entry's name as a relative path inside the destination; a name that would leave it is refused. */
    private static String safeName(TarArchiveEntry entry) throws SourceFailedException {
        String name = entry.getName();
        Path path = Path.of(name).normalize();
        if (name.startsWith("/") || path.isAbsolute() || path.startsWith("..") || name.contains("\0")
                || path.toString().isEmpty()) {
            throw new SourceFailedException("the tar holds an entry outside its directory: " + name);
        }
        return path.toString();
    }

    private static void settle(Path path, TarArchiveEntry entry) throws IOException {
        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        Files.setLastModifiedTime(path, FileTime.from(entry.getModTime().toInstant()));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
