package org.wharf.loader.swhid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wharf.loader.swhid.ArchiveFixtures.file;
import static org.wharf.loader.swhid.ArchiveFixtures.utf8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wharf.common.archive.ArchiveLimits;
import org.wharf.loader.swhid.ArchiveFixtures.Format;
import org.wharf.loader.swhid.GitObjectHasher.Mode;
import org.wharf.loader.swhid.GitObjectHasher.TreeEntry;

class ArchiveTreeHasherTest {

    @TempDir
    Path temp;

    private Path scratch;
    private Git git;
    private final ArchiveTreeHasher hasher = new ArchiveTreeHasher();

    @BeforeEach
    void setUp() throws IOException {
        scratch = Files.createDirectory(temp.resolve("scratch"));
        git = new Git(Files.createDirectory(temp.resolve("home")));
    }

    // ---- agreement with git ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Format.class)
    void matchesGitWriteTreeOfTheExtractedArchive(Format format) throws Exception {
        assumeTrue(Git.available(), "git is the reference implementation");
        Path source = Files.createDirectory(temp.resolve("source"));
        ArchiveFixtures.createSampleTree(source);
        byte[] archive = ArchiveFixtures.pack(source, format);

        ObjectId ours = hash(archive);

        Path extracted = extractWithSystemTool(archive, format);
        if (extracted != null) {
            assertThat(ours).as("git write-tree of the %s extracted by tar/unzip", format)
                    .isEqualTo(git.writeTree(extracted));
        }
        assertThat(ours).as("git write-tree of the packed directory").isEqualTo(git.writeTree(source));
        assertThat(scratch).isEmptyDirectory();
    }

    @Test
    void everyBlobAndModeMatchesGit() throws Exception {
        assumeTrue(Git.available(), "git is the reference implementation");
        Path source = Files.createDirectory(temp.resolve("source"));
        ArchiveFixtures.createSampleTree(source);
        git.writeTree(source);
        Map<String, Git.IndexEntry> index = git.lsFiles(source);

        int checked = 0;
        for (Path path : ArchiveFixtures.walk(source)) {
            String name = ArchiveFixtures.relativeName(source, path);
            if (name.startsWith(".git/") || name.equals(".git") || Files.isDirectory(path) && !Files.isSymbolicLink(path)) {
                continue;
            }
            Git.IndexEntry expected = index.get(name);
            assertThat(expected).as("git indexed %s", name).isNotNull();
            if (Files.isSymbolicLink(path)) {
                assertThat(GitObjectHasher.symlinkId(utf8(Files.readSymbolicLink(path).toString())))
                        .as(name).isEqualTo(expected.id());
                assertThat(expected.mode()).isEqualTo(Mode.SYMLINK.text());
            } else {
                byte[] content = Files.readAllBytes(path);
                ObjectId ours = GitObjectHasher.blobId(content);
                assertThat(ours).as(name).isEqualTo(expected.id()).isEqualTo(git.hashObject(path));
                try (InputStream in = Files.newInputStream(path)) {
                    assertThat(GitObjectHasher.blobId(content.length, in)).as(name).isEqualTo(ours);
                }
                boolean exec = (ArchiveFixtures.permissions(path) & 0100) != 0;
                assertThat(expected.mode()).as(name).isEqualTo((exec ? Mode.EXECUTABLE : Mode.FILE).text());
            }
            checked++;
        }
        assertThat(checked).isEqualTo(index.size()).isGreaterThan(10);
    }

    /** Archives written by GNU tar itself: ustar prefixes, GNU long names, pax headers, sparse files. */
    @ParameterizedTest
    @ValueSource(strings = {"gnu", "oldgnu", "ustar", "pax"})
    void matchesGitForArchivesMadeByGnuTar(String tarFormat) throws Exception {
        assumeTrue(Git.available() && Git.toolAvailable("tar", "--version"), "git and GNU tar are needed");
        Path source = Files.createDirectory(temp.resolve("source"));
        ArchiveFixtures.createSampleTree(source);
        // 170 bytes: needs a ustar prefix, a GNU long name or a pax path depending on the format.
        ArchiveFixtures.write(source, "long/" + "d".repeat(70) + "/" + "e".repeat(70) + "/a-long-file-name.txt", "long\n");
        Path sparse = source.resolve("sparse.bin");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(3 * 1024 * 1024);
            file.seek(1024 * 1024 + 17);
            file.write(utf8("data in the middle of a hole"));
        }
        Path archive = temp.resolve("gnu.tar.gz");
        List<String> command = new ArrayList<>(List.of("tar", "--format=" + tarFormat, "-czf",
                archive.toString(), "-C", source.toString(), "."));
        if (!tarFormat.equals("ustar")) {
            command.add(1, "--sparse"); // ustar has no sparse representation
        }
        git.exec(temp, null, command);

        // 3 MiB of holes compress above the platform's ratio limit (the checker refuses such an archive,
        // and so does the loader: sparseFilesCountAtTheirRealSize); here the formats are what is tested.
        ArchiveTreeHasher lenient = new ArchiveTreeHasher(ArchiveLimits.defaults().withMaxCompressionRatio(100_000));
        ObjectId ours;
        try (InputStream in = Files.newInputStream(archive)) {
            ours = lenient.rootDirectoryId(in, scratch);
        }
        assertThat(ours).isEqualTo(git.writeTree(extractWithTar(Files.readAllBytes(archive))));
        assertThat(ours).isEqualTo(git.writeTree(source));
    }

    @Test
    void paxPathAndLinkpathAreReadAsRawUtf8() throws Exception {
        assumeTrue(Git.available() && Git.toolAvailable("tar", "--version"), "git and GNU tar are needed");
        // US-ASCII mangles the ustar name fields (%U00E9...): only the pax records carry the real names.
        byte[] archive = ArchiveFixtures.paxTarOf("US-ASCII",
                file("héllo/wörld.txt", 0644), utf8("ünïcödé\n"),
                symlink("héllo/link", "wörld.txt"), null,
                file("日本/ファイル", 0755), utf8("x"));
        ObjectId ours = hash(archive);
        assertThat(ours).isEqualTo(git.writeTree(extractWithTar(archive)));
        assertThat(ours).isNotEqualTo(hash(ArchiveFixtures.tarOf("US-ASCII",
                file("héllo/wörld.txt", 0644), utf8("ünïcödé\n"),
                symlink("héllo/link", "wörld.txt"), null,
                file("日本/ファイル", 0755), utf8("x"))));
        ObjectId expected = new DirectoryTree()
                .addFile(utf8("héllo/wörld.txt"), false, GitObjectHasher.blobId(utf8("ünïcödé\n")))
                .addSymlink(utf8("héllo/link"), GitObjectHasher.blobId(utf8("wörld.txt")))
                .addFile(utf8("日本/ファイル"), true, GitObjectHasher.blobId(utf8("x")))
                .rootId();
        assertThat(ours).isEqualTo(expected);
    }

    @Test
    void nonUtf8NamesAreHashedAsRawBytes() throws Exception {
        byte[] ff66 = {(byte) 0xff, 'f'};
        // ISO-8859-1 writes each char as one byte: U+00FF becomes the lone byte 0xff, invalid UTF-8.
        byte[] archive = ArchiveFixtures.tarOf("ISO-8859-1",
                file("\u00ff" + "f", 0644), utf8("x\n"),
                file("d\u00e9/inner", 0644), utf8("y\n"));
        byte[] otherName = ArchiveFixtures.tarOf("ISO-8859-1",
                file("\u00fe" + "f", 0644), utf8("x\n"),
                file("d\u00e9/inner", 0644), utf8("y\n"));

        ObjectId ours = hash(archive);
        assertThat(hash(archive)).as("stable").isEqualTo(ours);
        assertThat(hash(otherName)).isNotEqualTo(ours);
        ObjectId expected = new DirectoryTree()
                .addFile(ff66, false, GitObjectHasher.blobId(utf8("x\n")))
                .addFile(new byte[] {'d', (byte) 0xe9, '/', 'i', 'n', 'n', 'e', 'r'}, false, GitObjectHasher.blobId(utf8("y\n")))
                .rootId();
        assertThat(ours).isEqualTo(expected);

        // The same raw name in a zip (no UTF-8 flag) gives the same id.
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(zipBytes)) {
            zip.setEncoding("ISO-8859-1");
            zip.setUseLanguageEncodingFlag(false);
            zipEntry(zip, "\u00ff" + "f", 0100644, utf8("x\n"));
            zipEntry(zip, "d\u00e9/inner", 0100644, utf8("y\n"));
        }
        assertThat(hash(zipBytes.toByteArray())).isEqualTo(ours);

        if (Git.available() && Git.toolAvailable("tar", "--version")) {
            // GNU tar writes the bytes as they are; git stores them as they are.
            Path extracted = extractWithTar(archive);
            assertThat(ours).isEqualTo(git.writeTree(extracted));
            assertThat(git.lsFiles(extracted)).containsKey(new String(ff66, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void archiveRootIsTheTreeRootEvenWithASingleTopLevelFolder() throws Exception {
        byte[] archive = ArchiveFixtures.tarOf("UTF-8",
                new TarArchiveEntry("project-1.0/"), null,
                file("project-1.0/README", 0644), utf8("hi\n"));
        ObjectId inner = new DirectoryTree().addFile(utf8("README"), false, GitObjectHasher.blobId(utf8("hi\n"))).rootId();
        ObjectId outer = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.DIRECTORY, utf8("project-1.0"), inner)));
        assertThat(hash(archive)).isEqualTo(outer).isNotEqualTo(inner);
    }

    @Test
    void emptyDirectoriesAreKeptAsGitsEmptyTree() throws Exception {
        byte[] archive = ArchiveFixtures.tarOf("UTF-8",
                file("f", 0644), utf8("x\n"),
                new TarArchiveEntry("empty/"), null);
        List<TreeEntry> entries = List.of(
                new TreeEntry(Mode.FILE, utf8("f"), GitObjectHasher.blobId(utf8("x\n"))),
                new TreeEntry(Mode.DIRECTORY, utf8("empty"), GitObjectHasher.EMPTY_TREE_ID));
        ObjectId ours = hash(archive);
        assertThat(ours).isEqualTo(GitObjectHasher.treeId(entries));
        if (Git.available()) {
            assertThat(ours).isEqualTo(git.mktree(entries));
        }
    }

    /**
     * Git and the Software Heritage tarball loader both decide "executable" on the owner's execute
     * bit; a file only its group or others may execute is a plain file for both.
     */
    @ParameterizedTest
    @ValueSource(ints = {0755, 0700, 0744, 0100, 0654, 0645, 0611, 0644, 0600})
    void executableMeansTheOwnerExecuteBitLikeGit(int mode) throws Exception {
        byte[] archive = ArchiveFixtures.tarOf("UTF-8", file("tool", mode), utf8("#!/bin/sh\n"));
        boolean ownerExec = (mode & 0100) != 0;
        ObjectId expected = new DirectoryTree()
                .addFile(utf8("tool"), ownerExec, GitObjectHasher.blobId(utf8("#!/bin/sh\n"))).rootId();
        assertThat(hash(archive)).isEqualTo(expected);
        if (Git.available() && Git.toolAvailable("tar", "--version") && (mode & 0400) != 0) {
            assertThat(expected).isEqualTo(git.writeTree(extractWithTar(archive)));
        }
    }

    @Test
    void zipSymlinkEntryIsHashedFromItsContent() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zipEntry(zip, "target.txt", 0100644, utf8("t\n"));
            zipEntry(zip, "link", 0120777, utf8("target.txt"));
        }
        ObjectId expected = new DirectoryTree()
                .addFile(utf8("target.txt"), false, GitObjectHasher.blobId(utf8("t\n")))
                .addSymlink(utf8("link"), GitObjectHasher.blobId(utf8("target.txt")))
                .rootId();
        assertThat(hash(bytes.toByteArray())).isEqualTo(expected);
    }

    @Test
    void zipEntriesWithoutUnixModeArePlainFiles() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry("dir/"));
            zip.closeArchiveEntry();
            zip.putArchiveEntry(new ZipArchiveEntry("dir/file.txt")); // FAT platform, no unix mode
            zip.write(utf8("dos\n"));
            zip.closeArchiveEntry();
        }
        ObjectId expected = new DirectoryTree()
                .addFile(utf8("dir/file.txt"), false, GitObjectHasher.blobId(utf8("dos\n"))).rootId();
        assertThat(hash(bytes.toByteArray())).isEqualTo(expected);
    }

    // ---- rejected input ----------------------------------------------------------------------

    @Test
    void randomBytesAreNotASupportedArchive() {
        byte[] noise = new byte[4096];
        new Random(1234).nextBytes(noise);
        assertUnsupported(noise).hasMessage(ArchiveTreeHasher.NOT_SUPPORTED);
    }

    @Test
    void otherFormatsAreNotSupported() throws Exception {
        assertUnsupported(new byte[0]).hasMessage(ArchiveTreeHasher.NOT_SUPPORTED);
        assertUnsupported(utf8("!<arch>\nnot interesting\n")).hasMessage(ArchiveTreeHasher.NOT_SUPPORTED);
        assertUnsupported(ArchiveFixtures.gzip(utf8("just some gzipped text, not a tar\n".repeat(40))))
                .hasMessage(ArchiveTreeHasher.NOT_SUPPORTED);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void truncatedArchivesAreReportedAsSuch(Format format) throws Exception {
        Path source = Files.createDirectory(temp.resolve("source"));
        ArchiveFixtures.createSampleTree(source);
        byte[] archive = ArchiveFixtures.pack(source, format);
        byte[] half = Arrays.copyOf(archive, archive.length / 2);
        assertUnsupported(half)
                .hasMessageStartingWith(ArchiveTreeHasher.CORRUPT_PREFIX)
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("Exception");
        assertThat(scratch).isEmptyDirectory();
    }

    @Test
    void tarWithoutEndOfArchiveMarkerIsTruncated() throws Exception {
        byte[] archive = ArchiveFixtures.tarOf("UTF-8", file("f", 0644), new byte[512]);
        // header + one data record, cut right before the end-of-archive zero records
        assertUnsupported(Arrays.copyOf(archive, 1024)).hasMessageStartingWith(ArchiveTreeHasher.CORRUPT_PREFIX);
        assertUnsupported(Arrays.copyOf(archive, 1024 + 300)).hasMessageStartingWith(ArchiveTreeHasher.CORRUPT_PREFIX);
        assertThat(hash(archive)).isNotNull();
    }

    @Test
    void corruptCompressedDataIsReportedAsSuch() throws Exception {
        Path source = Files.createDirectory(temp.resolve("source"));
        ArchiveFixtures.createSampleTree(source);
        byte[] archive = ArchiveFixtures.pack(source, Format.TAR_GZ);
        for (int i = archive.length / 3; i < archive.length / 3 + 64; i++) {
            archive[i] ^= 0x5a;
        }
        assertUnsupported(archive).hasMessageStartingWith(ArchiveTreeHasher.CORRUPT_PREFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "a/../../evil", "ok/../../evil"})
    void pathTraversalInTarIsRejectedNamingTheEntry(String name) throws Exception {
        byte[] archive = ArchiveFixtures.tarOf("UTF-8", file("fine", 0644), utf8("x"), file(name, 0644), utf8("bad"));
        assertUnsupported(archive).hasMessageContaining(name);
    }

    @Test
    void pathTraversalInZipIsRejectedNamingTheEntry() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zipEntry(zip, "../evil", 0100644, utf8("bad"));
        }
        assertUnsupported(bytes.toByteArray()).hasMessageContaining("../evil");
        assertThat(scratch).isEmptyDirectory();
    }

    /** The checker's limits, applied by the loader too (one ArchiveReader): each refusal names its limit. */
    @Test
    void theCheckersLimitsApplyAndNameTheLimit() throws Exception {
        byte[] elevenFiles = ArchiveFixtures.tarOf("UTF-8", file("1", 0644), utf8("1"), file("2", 0644), utf8("2"),
                file("3", 0644), utf8("3"), file("4", 0644), utf8("4"), file("5", 0644), utf8("5"), file("6", 0644), utf8("6"),
                file("7", 0644), utf8("7"), file("8", 0644), utf8("8"), file("9", 0644), utf8("9"), file("10", 0644), utf8("10"),
                file("11", 0644), utf8("11"));
        assertThat(hash(elevenFiles)).isNotNull();
        ArchiveTreeHasher tenEntries = new ArchiveTreeHasher(ArchiveLimits.defaults().withMaxEntries(10));
        assertThatThrownBy(() -> tenEntries.rootDirectoryId(new ByteArrayInputStream(elevenFiles), scratch))
                .isInstanceOf(UnsupportedArchiveException.class).hasMessage("archive exceeds the limit of 10 entries");

        byte[] zeros = ArchiveFixtures.gzip(ArchiveFixtures.tarOf("UTF-8", file("zeros", 0644), new byte[8 * 1024 * 1024]));
        assertUnsupported(zeros).hasMessage("compression ratio above 200:1");
        ArchiveTreeHasher oneMiB = new ArchiveTreeHasher(ArchiveLimits.defaults().withMaxUncompressedBytes(1024 * 1024)
                .withMaxCompressionRatio(100_000));
        assertThatThrownBy(() -> oneMiB.rootDirectoryId(new ByteArrayInputStream(zeros), scratch))
                .isInstanceOf(UnsupportedArchiveException.class)
                .hasMessage("archive exceeds the limit of 1048576 uncompressed bytes");
        assertThat(scratch).isEmptyDirectory();
    }

    /**
     * A sparse file is stored as its data and a map of holes: a few KiB of archive can announce
     * terabytes. It counts at its real size, as extraction writes it, whatever the archive's size.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gnu", "pax"})
    void sparseFilesCountAtTheirRealSize(String tarFormat) throws Exception {
        assumeTrue(Git.toolAvailable("tar", "--version"), "GNU tar is needed");
        Path source = Files.createDirectory(temp.resolve("sparse-source"));
        try (RandomAccessFile file = new RandomAccessFile(source.resolve("holes.bin").toFile(), "rw")) {
            file.setLength(64L * 1024 * 1024);
            file.seek(32L * 1024 * 1024);
            file.write(utf8("one line in 64 MiB of holes"));
        }
        Path archive = temp.resolve("sparse.tar");
        git.exec(temp, null, List.of("tar", "--sparse", "--format=" + tarFormat, "-cf", archive.toString(), "-C",
                source.toString(), "."));
        assertThat(Files.size(archive)).as("the archive, uncompressed").isLessThan(64 * 1024);

        assertUnsupported(Files.readAllBytes(archive)).hasMessage("compression ratio above 200:1");
        ArchiveTreeHasher sixteenMiB = new ArchiveTreeHasher(ArchiveLimits.defaults().withMaxUncompressedBytes(16 * 1024 * 1024)
                .withMaxCompressionRatio(1_000_000));
        assertThatThrownBy(() -> sixteenMiB.rootDirectoryId(Files.newInputStream(archive), scratch))
                .isInstanceOf(UnsupportedArchiveException.class)
                .hasMessage("archive exceeds the limit of 16777216 uncompressed bytes");
    }

    @Test
    void absolutePathsAreRejectedAlthoughCommonsCompressStripsTheSlash() throws Exception {
        TarArchiveEntry absolute = new TarArchiveEntry("/etc/evil", true);
        absolute.setMode(0100644);
        assertUnsupported(ArchiveFixtures.tarOf("UTF-8", absolute, utf8("x")))
                .hasMessageContaining("absolute").hasMessageContaining("/etc/evil");

        TarArchiveEntry longAbsolute = new TarArchiveEntry("/" + "x".repeat(150), true); // pax path
        longAbsolute.setMode(0100644);
        assertUnsupported(ArchiveFixtures.tarOf("UTF-8", longAbsolute, utf8("x"))).hasMessageContaining("absolute");

        // GNU long name: Commons Compress strips the slash when it applies the long name.
        ByteArrayOutputStream gnu = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gnu)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            TarArchiveEntry entry = new TarArchiveEntry("/" + "y".repeat(150), true);
            entry.setMode(0100644);
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('y');
            tar.closeArchiveEntry();
        }
        assertUnsupported(gnu.toByteArray()).hasMessageContaining("absolute").hasMessageContaining("/yyy");
    }

    @Test
    void pathThroughASymlinkIsRejected() throws Exception {
        byte[] archive = ArchiveFixtures.tarOf("UTF-8",
                symlink("link", "/tmp"), null,
                file("link/planted", 0644), utf8("x"));
        assertUnsupported(archive).hasMessageContaining("both a file and a directory").hasMessageContaining("link");
    }

    @Test
    void specialEntriesAreRejectedNamingTheEntry() throws Exception {
        TarArchiveEntry hardLink = new TarArchiveEntry("copy", TarConstants.LF_LINK);
        hardLink.setLinkName("original");
        assertUnsupported(ArchiveFixtures.tarOf("UTF-8", file("original", 0644), utf8("x"), hardLink, null))
                .hasMessageContaining("hard link").hasMessageContaining("copy");

        TarArchiveEntry fifo = new TarArchiveEntry("pipe", TarConstants.LF_FIFO);
        assertUnsupported(ArchiveFixtures.tarOf("UTF-8", fifo, null))
                .hasMessageContaining("named pipe").hasMessageContaining("pipe");

        TarArchiveEntry device = new TarArchiveEntry("dev/null", TarConstants.LF_CHR);
        assertUnsupported(ArchiveFixtures.tarOf("UTF-8", device, null))
                .hasMessageContaining("device").hasMessageContaining("dev/null");
    }

    @ParameterizedTest
    @EnumSource(value = Format.class, names = {"TAR_GZ", "ZIP"})
    void failuresOfTheCallersStreamAreNotBlamedOnTheArchive(Format format) throws Exception {
        Path source = Files.createDirectory(temp.resolve("source"));
        ArchiveFixtures.createSampleTree(source);
        byte[] archive = ArchiveFixtures.pack(source, format);
        InputStream failing = new ByteArrayInputStream(archive, 0, archive.length / 2);
        InputStream networkDown = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (failing.available() == 0) {
                    throw new IOException("network down");
                }
                return failing.read(b, off, len);
            }
        };
        assertThatThrownBy(() -> hasher.rootDirectoryId(networkDown, scratch))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("network down");
        assertThat(scratch).isEmptyDirectory();
    }

    @Test
    void doesNotCloseTheCallersStream() throws Exception {
        boolean[] closed = {false};
        byte[] archive = ArchiveFixtures.tarOf("UTF-8", file("f", 0644), utf8("x"));
        InputStream in = new ByteArrayInputStream(archive) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        hasher.rootDirectoryId(in, scratch);
        assertThat(closed[0]).isFalse();
    }

    // ---- helpers -----------------------------------------------------------------------------

    private ObjectId hash(byte[] archive) throws IOException, UnsupportedArchiveException {
        return hasher.rootDirectoryId(new ByteArrayInputStream(archive), scratch);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertUnsupported(byte[] archive) {
        return assertThatThrownBy(() -> hash(archive)).isInstanceOf(UnsupportedArchiveException.class);
    }

    private static TarArchiveEntry symlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        return entry;
    }

    private static void zipEntry(ZipArchiveOutputStream zip, String name, int unixMode, byte[] content)
            throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(unixMode);
        zip.putArchiveEntry(entry);
        zip.write(content);
        zip.closeArchiveEntry();
    }

    /** Extracts with GNU tar or Info-ZIP unzip, as an independent reader; null if the tool is missing. */
    private Path extractWithSystemTool(byte[] archive, Format format) throws Exception {
        if (format == Format.ZIP) {
            if (!Git.toolAvailable("unzip", "-v")) {
                return null;
            }
            Path file = temp.resolve("archive.zip");
            Files.write(file, archive);
            Path out = Files.createDirectory(temp.resolve("unzipped"));
            git.exec(temp, null, List.of("unzip", "-q", file.toString(), "-d", out.toString()));
            return out;
        }
        if (!Git.toolAvailable("tar", "--version")) {
            return null;
        }
        return extractWithTar(archive);
    }

    private Path extractWithTar(byte[] archive) throws Exception {
        Path file = Files.createTempFile(temp, "archive", ".bin");
        Files.write(file, archive);
        Path out = Files.createTempDirectory(temp, "untarred");
        git.exec(temp, null, List.of("tar", "-xf", file.toString(), "-C", out.toString()));
        return out;
    }
}
