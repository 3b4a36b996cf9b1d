package org.wharf.loader.swhid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds sample trees on disk and packs them with Commons Compress. */
public final class ArchiveFixtures {

    public enum Format {
        TAR, TAR_GZ, TAR_BZ2, TAR_XZ, ZIP
    }

    private ArchiveFixtures() {
    }

    /**
     * A tree exercising what matters for ids: nesting, an executable, a relative symlink, empty
     * files, and {@code a} (a directory) next to {@code a.b}, {@code a-b}, {@code a0}, which sort
     * differently with and without git's trailing-slash rule. No empty directories: git cannot
     * record them, so a git oracle would disagree for a good reason.
     */
    public static void createSampleTree(Path root) throws IOException {
        write(root, "README.md", "hello\n");
        write(root, "empty.txt", "");
        write(root, ".hidden", "dot file\n");
        write(root, "with space.txt", "spaces\n");
        write(root, "a/inside.txt", "in a\n");
        write(root, "a.b", "a dot b\n");
        write(root, "a-b", "a dash b\n");
        write(root, "a0", "a zero\n");
        write(root, "src/main/App.java", "class App {}\n");
        write(root, "src/main/empty-too", "");
        write(root, "deep/er/and/deeper/leaf.txt", "leaf\n");
        Path script = write(root, "bin/run.sh", "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("src/link-to-app"), Path.of("main/App.java"));
        Files.createSymbolicLink(root.resolve("bin/up"), Path.of("../README.md"));
        byte[] big = new byte[300_000]; // spans several read buffers
        new Random(42).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
    }

    public static Path write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** All paths under root, parents first, in a stable order. */
    static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> !p.equals(root)).sorted().collect(Collectors.toList());
        }
    }

    static int permissions(Path path) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }

    static String relativeName(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    public static byte[] pack(Path root, Format format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        switch (format) {
            case TAR -> tar(root, bytes);
            case TAR_GZ -> {
                try (OutputStream out = new GzipCompressorOutputStream(bytes)) {
                    tar(root, out);
                }
            }
            case TAR_BZ2 -> {
                try (OutputStream out = new BZip2CompressorOutputStream(bytes)) {
                    tar(root, out);
                }
            }
            case TAR_XZ -> {
                try (OutputStream out = new XZCompressorOutputStream(bytes)) {
                    tar(root, out);
                }
            }
            case ZIP -> zip(root, bytes);
        }
        return bytes.toByteArray();
    }

    public static void tar(Path root, OutputStream target) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(target, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (Path path : walk(root)) {
            String name = relativeName(root, path);
            if (Files.isSymbolicLink(path)) {
                TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                entry.setLinkName(Files.readSymbolicLink(path).toString());
                entry.setMode(0120777);
                tar.putArchiveEntry(entry);
            } else if (Files.isDirectory(path)) {
                TarArchiveEntry entry = new TarArchiveEntry(name + "/");
                entry.setMode(040755);
                tar.putArchiveEntry(entry);
            } else {
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setMode(0100000 | permissions(path));
                entry.setSize(Files.size(path));
                tar.putArchiveEntry(entry);
                Files.copy(path, tar);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    static void zip(Path root, OutputStream target) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(target)) {
            for (Path path : walk(root)) {
                String name = relativeName(root, path);
                if (Files.isSymbolicLink(path)) {
                    ZipArchiveEntry entry = new ZipArchiveEntry(name);
                    entry.setUnixMode(0120777); // the symlink flag lives only in the central directory
                    zip.putArchiveEntry(entry);
                    zip.write(Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8));
                } else if (Files.isDirectory(path)) {
                    ZipArchiveEntry entry = new ZipArchiveEntry(name + "/");
                    entry.setUnixMode(040755);
                    zip.putArchiveEntry(entry);
                } else {
                    ZipArchiveEntry entry = new ZipArchiveEntry(name);
                    entry.setUnixMode(0100000 | permissions(path));
                    zip.putArchiveEntry(entry);
                    Files.copy(path, zip);
                }
                zip.closeArchiveEntry();
            }
        }
    }

    /** A tar of hand-made entries; {@code entries} alternates entry, content (null for none). */
    public static byte[] tarOf(String encoding, Object... entries) throws IOException {
        return tarOf(encoding, false, entries);
    }

    /** {@link #tarOf(String, boolean, Object...)} with pax records for non-ASCII names. */
    static byte[] paxTarOf(String encoding, Object... entries) throws IOException {
        return tarOf(encoding, true, entries);
    }

    /**
     * Like {@link #tarOf(String, Object...)}; with {@code paxForNonAscii} non-ASCII names and link
     * targets also go into pax records (always UTF-8), whatever {@code encoding} does to the
     * ustar fields.
     */
    private static byte[] tarOf(String encoding, boolean paxForNonAscii, Object[] entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, encoding);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(paxForNonAscii);
        for (int i = 0; i < entries.length; i += 2) {
            TarArchiveEntry entry = (TarArchiveEntry) entries[i];
            byte[] content = (byte[]) entries[i + 1];
            if (content != null) {
                entry.setSize(content.length);
            }
            tar.putArchiveEntry(entry);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.close();
        return bytes.toByteArray();
    }

    public static TarArchiveEntry file(String name, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        return entry;
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GzipCompressorOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
