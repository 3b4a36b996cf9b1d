package org.wharf.checker.archive;

import org.wharf.common.archive.ArchiveLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wharf.checker.archive.TestArchives.bzip2;
import static org.wharf.checker.archive.TestArchives.charDevice;
import static org.wharf.checker.archive.TestArchives.cut;
import static org.wharf.checker.archive.TestArchives.dir;
import static org.wharf.checker.archive.TestArchives.fifo;
import static org.wharf.checker.archive.TestArchives.file;
import static org.wharf.checker.archive.TestArchives.globalPax;
import static org.wharf.checker.archive.TestArchives.gzip;
import static org.wharf.checker.archive.TestArchives.hardLink;
import static org.wharf.checker.archive.TestArchives.paxRecord;
import static org.wharf.checker.archive.TestArchives.symlink;
import static org.wharf.checker.archive.TestArchives.tar;
import static org.wharf.checker.archive.TestArchives.xz;
import static org.wharf.checker.archive.TestArchives.zip;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wharf.checker.archive.TestArchives.Entry;
import org.wharf.checker.archive.TestArchives.RawTar;
import org.wharf.common.message.deposit.CheckDetail;

class ArchiveInspectorTest {

    private static final int MIB = 1024 * 1024;
    private static final ArchiveLimits DEFAULTS = ArchiveLimits.defaults();
    /** 8 + 14 bytes of content; a zip stores the link's target as content too (+ 9). */
    private static final Entry[] PROJECT = {
        dir("project/"),
        file("project/README.md", "# Hello\n"),
        file("project/src/Main.java", "class Main {}\n"),
        symlink("project/readme", "README.md"),
    };

    private final ArchiveInspector inspector = new ArchiveInspector();

    @TempDir
    Path temp;
    private Path scratch;

    @BeforeEach
    void createScratch() throws IOException {
        scratch = Files.createDirectory(temp.resolve("scratch"));
    }

    /** Whatever happened, the scratch directory is left empty. */
    @AfterEach
    void scratchIsLeftEmpty() throws IOException {
        try (Stream<Path> files = Files.list(scratch)) {
            assertThat(files).isEmpty();
        }
    }

    // ---------------------------------------------------------------- valid archives

    static Stream<Arguments> validArchives() {
        byte[] tar = tar(PROJECT);
        return Stream.of(
                Arguments.of("tar", tar, 22L),
                Arguments.of("tar.gz", gzip(tar), 22L),
                Arguments.of("tar.bz2", bzip2(tar), 22L),
                Arguments.of("tar.xz", xz(tar), 22L),
                Arguments.of("zip", zip(PROJECT), 31L),
                Arguments.of("zip", TestArchives.zip64(PROJECT), 31L));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("validArchives")
    void validArchiveIsFit(String format, byte[] archive, long contentBytes) throws IOException {
        ArchiveReport report = inspect(archive);

        assertThat(report.problems()).isEmpty();
        assertThat(report.fit()).isTrue();
        assertThat(report.format()).isEqualTo(format);
        assertThat(report.size()).isEqualTo(archive.length);
        assertThat(report.sha256()).isEqualTo(sha256(archive));
        assertThat(report.entries()).isEqualTo(4);
        assertThat(report.uncompressedBytes()).isEqualTo(contentBytes);
    }

    @Test
    void gitArchiveGlobalPaxHeaderIsNotAnEntry() throws IOException {
        byte[] archive = gzip(tar(globalPax("comment", "0123456789abcdef0123456789abcdef01234567"),
                dir("project/"), file("project/README.md", "# Hello\n")));

        ArchiveReport report = inspect(archive);

        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).isEqualTo(2);
    }

    @Test
    void nonAsciiNamesAreFine() throws IOException {
        assertThat(inspect(tar(file("café/naïve.txt", "x"))).problems()).isEmpty();
        assertThat(inspect(zip(file("café/naïve.txt", "x"))).problems()).isEmpty();
    }

    @Test
    void paxPathWinsOverALatin1UstarName() throws IOException {
        // ustar name in ISO-8859-1 ("caf\xE9"), pax path in UTF-8: the pax path is the name, and it is valid
        ByteArrayInputStream archive = new ByteArrayInputStream(paxTar("ISO-8859-1", "café.txt"));

        ArchiveReport report = inspector.inspect(archive, DEFAULTS, scratch);

        assertThat(report.problems()).isEmpty();
    }

    @Test
    void zipNameWithoutUtf8FlagMayBeCp437() throws IOException {
        byte[] archive = zip("IBM437", false, file("café.txt", "x"));

        assertThat(inspect(archive).problems()).isEmpty();
    }

    @Test
    void emptyZipIsFine() throws IOException {
        ArchiveReport report = inspect(zip());

        assertThat(report.problems()).isEmpty();
        assertThat(report.format()).isEqualTo("zip");
        assertThat(report.entries()).isZero();
    }

    // ---------------------------------------------------------------- unsupported

    @Test
    void randomBytesAreNotSupported() throws IOException {
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);

        ArchiveReport report = inspect(bytes);

        assertThat(report.problems()).containsExactly(CheckDetail.of("Mandatory archive type is not supported"));
        assertThat(report.format()).isNull();
        assertThat(report.size()).isEqualTo(4096);
        assertThat(report.sha256()).isEqualTo(sha256(bytes));
    }

    @Test
    void plainGzippedFileIsNotSupported() throws IOException {
        byte[] archive = gzip("just some text, not an archive\n".repeat(100).getBytes(StandardCharsets.UTF_8));

        ArchiveReport report = inspect(archive);

        assertThat(report.problems()).containsExactly(CheckDetail.of("Mandatory archive type is not supported", "gz"));
        assertThat(report.format()).isNull();
        assertThat(report.size()).isEqualTo(archive.length);
    }

    @Test
    void emptyStreamIsNotSupported() throws IOException {
        ArchiveReport report = inspect(new byte[0]);

        assertThat(report.problems()).containsExactly(CheckDetail.of("Mandatory archive type is not supported"));
        assertThat(report.size()).isZero();
        assertThat(report.sha256()).isEqualTo(sha256(new byte[0]));
    }

    @Test
    void otherArchiveFormatsAreNotSupported() throws IOException {
        byte[] sevenZip = {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0};

        assertThat(inspect(sevenZip).problems())
                .containsExactly(CheckDetail.of("Mandatory archive type is not supported", "7z"));
    }

    // ---------------------------------------------------------------- corrupt, truncated

    @Test
    void truncatedTarGzIsUnreadable() throws IOException {
        byte[] archive = gzip(tar(file("data.bin", randomBytes(100_000))));
        byte[] truncated = cut(archive, archive.length / 2);

        ArchiveReport report = inspect(truncated);

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar.gz"));
        assertThat(report.format()).isEqualTo("tar.gz");
        assertThat(report.size()).isEqualTo(truncated.length);
        assertThat(report.sha256()).isEqualTo(sha256(truncated));
    }

    @Test
    void truncatedTarBz2IsUnreadable() throws IOException {
        // bzip2 decodes 900 kB blocks: cut in the third one, so that the first is whole and shows a tar
        byte[] archive = bzip2(tar(file("data.bin", randomBytes(2_500_000))));

        ArchiveReport report = inspect(cut(archive, archive.length * 8 / 10));

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar.bz2"));
        assertThat(report.format()).isEqualTo("tar.bz2");
    }

    @Test
    void compressedStreamUnreadableBeforeItsContentIsKnownIsNamedByItsCompression() throws IOException {
        // a single bzip2 block cut in half yields no byte at all: nothing says it held a tar
        byte[] archive = bzip2(tar(file("data.bin", randomBytes(100_000))));

        ArchiveReport report = inspect(cut(archive, archive.length / 2));

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "bz2"));
        assertThat(report.format()).isNull();
        assertThat(report.size()).isEqualTo(archive.length / 2);
    }

    @Test
    void gzipWithCorruptDataIsUnreadable() throws IOException {
        byte[] archive = gzip(tar(file("data.bin", randomBytes(100_000))));
        archive[archive.length / 2] ^= 0x55;

        assertThat(inspect(archive).problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar.gz"));
    }

    @Test
    void truncatedZipIsUnreadable() throws IOException {
        byte[] archive = zip(PROJECT);
        byte[] truncated = cut(archive, archive.length * 6 / 10);

        ArchiveReport report = inspect(truncated);

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "zip"));
        assertThat(report.format()).isEqualTo("zip");
        assertThat(report.size()).isEqualTo(truncated.length);
    }

    @Test
    void tarCutInTheMiddleOfAnEntryIsUnreadable() throws IOException {
        byte[] archive = tar(file("a.bin", new byte[10_000]), file("b.txt", "b"));

        ArchiveReport report = inspect(cut(archive, 512 + 5_000));

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar"));
        assertThat(report.size()).isEqualTo(512 + 5_000);
    }

    @Test
    void tarWithoutEndMarkerIsUnreadable() throws IOException {
        // header + 1024 bytes of content, then nothing: no end-of-archive blocks
        byte[] archive = cut(tar(file("a.bin", new byte[1024]), file("b.txt", "b")), 512 + 1024);

        assertThat(inspect(archive).problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar"));
    }

    @Test
    void tarCutInAHeaderIsUnreadable() throws IOException {
        byte[] archive = cut(tar(file("a.bin", new byte[1024]), file("b.txt", "b")), 512 + 1024 + 300);

        assertThat(inspect(archive).problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar"));
    }

    @Test
    void tarHeaderWithWrongChecksumIsUnreadable() throws IOException {
        byte[] archive = tar(file("a.txt", "a"), file("b.txt", "b"));
        archive[1024] = 'c'; // second header's name: "b.txt" becomes "c.txt", checksum unchanged

        assertThat(inspect(archive).problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar"));
    }

    @Test
    void zipEntryWithCorruptContentIsUnreadable() throws IOException {
        byte[] content = "hello, world".getBytes(StandardCharsets.UTF_8);
        byte[] archive = TestArchives.storedZip("a.txt", content);
        int at = indexOf(archive, content);
        archive[at] ^= 0x20;

        assertThat(inspect(archive).problems()).containsExactly(
                CheckDetail.of("At least one of its associated archives is not readable", "zip", "a.txt"));
    }

    // ---------------------------------------------------------------- Software Heritage's "only one archive"

    @Test
    void zipHoldingOnlyATarGzIsInvalid() throws IOException {
        byte[] archive = zip(file("inner.tar.gz", gzip(tar(PROJECT))));

        assertThat(inspect(archive).problems()).containsExactly(
                CheckDetail.of("Mandatory archive is invalid (i.e contains only one archive)", "inner.tar.gz"));
    }

    @Test
    void tarHoldingOnlyAZipIsInvalid() throws IOException {
        byte[] archive = tar(file("x.zip", zip(PROJECT)));

        assertThat(inspect(archive).problems()).containsExactly(
                CheckDetail.of("Mandatory archive is invalid (i.e contains only one archive)", "x.zip"));
    }

    @Test
    void anArchiveNextToAnotherFileIsFine() throws IOException {
        assertThat(inspect(tar(file("x.zip", zip(PROJECT)), file("README", "read me"))).problems()).isEmpty();
        assertThat(inspect(zip(file("inner.tar.gz", gzip(tar(PROJECT))), file("README", "read me"))).problems())
                .isEmpty();
    }

    @Test
    void aSingleOrdinaryFileIsFine() throws IOException {
        assertThat(inspect(zip(file("notes.txt", "x"))).problems()).isEmpty();
    }

    @Test
    void softwareHeritageArchiveNamePattern() {
        // ARCHIVE_EXTENSIONS of swh-deposit, matched as Python's re.match does
        assertThat(EntryNames.looksLikeArchive("a.zip")).isTrue();
        assertThat(EntryNames.looksLikeArchive("dir/a.tgz")).isTrue();
        assertThat(EntryNames.looksLikeArchive("a.tar.Z")).isTrue();
        assertThat(EntryNames.looksLikeArchive("a.7z")).isTrue();
        assertThat(EntryNames.looksLikeArchive("a.bz2")).isTrue();
        assertThat(EntryNames.looksLikeArchive("a.zip\n")).isTrue(); // '$' also matches before a final newline
        assertThat(EntryNames.looksLikeArchive("a.gz")).isFalse(); // "gz" alone is not in the list
        assertThat(EntryNames.looksLikeArchive("a.ZIP")).isFalse(); // case-sensitive
        assertThat(EntryNames.looksLikeArchive("a.zip.txt")).isFalse();
        assertThat(EntryNames.looksLikeArchive("zip")).isFalse();
    }

    // ---------------------------------------------------------------- hostile entries

    static Stream<Arguments> hostileArchives() {
        String longAbsolute = "/" + "d".repeat(120) + "/passwd";
        return Stream.of(
                hostile("../evil in tar", tar(file("../evil", "x")), ArchiveProblems.PARENT_SEGMENT, "../evil"),
                hostile("../evil in zip", zip(file("../evil", "x")), ArchiveProblems.PARENT_SEGMENT, "../evil"),
                hostile("a/../../evil", tar(file("a/../../evil", "x")), ArchiveProblems.PARENT_SEGMENT, "a/../../evil"),
                hostile("backslash ..", tar(file("a\\..\\..\\evil", "x")), ArchiveProblems.PARENT_SEGMENT,
                        "a\\\\..\\\\..\\\\evil"),
                hostile("/etc/passwd in tar", tar(file("/etc/passwd", "x")), ArchiveProblems.ABSOLUTE_PATH,
                        "/etc/passwd"),
                hostile("/etc/passwd in zip", zip(file("/etc/passwd", "x")), ArchiveProblems.ABSOLUTE_PATH,
                        "/etc/passwd"),
                hostile("absolute pax path", tar(file(longAbsolute, "x")), ArchiveProblems.ABSOLUTE_PATH, longAbsolute),
                hostile("absolute GNU long name",
                        TestArchives.tar("UTF-8", TarArchiveOutputStream.LONGFILE_GNU, file(longAbsolute, "x")),
                        ArchiveProblems.ABSOLUTE_PATH, longAbsolute),
                hostile("Windows drive", tar(file("C:\\evil.txt", "x")), ArchiveProblems.ABSOLUTE_PATH,
                        "C:\\\\evil.txt"),
                hostile("symlink to ../../outside", tar(symlink("link", "../../outside")),
                        ArchiveProblems.SYMLINK_OUTSIDE, "link"),
                hostile("symlink to /etc", tar(symlink("link", "/etc")), ArchiveProblems.SYMLINK_OUTSIDE, "link"),
                hostile("zip symlink outside", zip(file("a", "a"), symlink("link", "../../outside")),
                        ArchiveProblems.SYMLINK_OUTSIDE, "link"),
                hostile("symlink climbing out of a symlink", tar(symlink("x/up", ".."), symlink("y", "x/up/..")),
                        ArchiveProblems.SYMLINK_OUTSIDE, "y"),
                hostile("symlink in a symlinked directory", tar(symlink("x/up", ".."), symlink("x/up/z", "../..")),
                        ArchiveProblems.SYMLINK_OUTSIDE, "x/up/z"),
                hostile("hard link", tar(file("a.txt", "a"), hardLink("hl", "a.txt")), ArchiveProblems.HARD_LINK, "hl"),
                hostile("character device", tar(charDevice("tty")), ArchiveProblems.SPECIAL_FILE, "tty"),
                hostile("FIFO", tar(fifo("fifo")), ArchiveProblems.SPECIAL_FILE, "fifo"),
                hostile("zip FIFO", zip(file("a", "a"), fifo("fifo")), ArchiveProblems.SPECIAL_FILE, "fifo"),
                hostile("duplicate", tar(file("a.txt", "1"), file("./a.txt", "2")), ArchiveProblems.DUPLICATE,
                        "./a.txt"),
                hostile("zip duplicate", zip(file("a.txt", "1"), file("a.txt", "2")), ArchiveProblems.DUPLICATE,
                        "a.txt"),
                hostile("invalid UTF-8 in tar",
                        TestArchives.tar("ISO-8859-1", TarArchiveOutputStream.LONGFILE_ERROR, file("café.txt", "x")),
                        ArchiveProblems.INVALID_ENCODING, "caf\\xE9.txt"),
                hostile("zip flagged UTF-8 but not",
                        TestArchives.withUtf8Flag(zip("ISO-8859-1", false, file("café.txt", "x"))),
                        ArchiveProblems.INVALID_ENCODING, "caf\\xE9.txt"),
                hostile("control character in zip", zip(file("bad\u0001name.txt", "x")),
                        ArchiveProblems.CONTROL_CHARACTERS, "bad\\x01name.txt"),
                hostile("newline in zip", zip(file("two\nlines.txt", "x")), ArchiveProblems.CONTROL_CHARACTERS,
                        "two\\x0Alines.txt"));
    }

    private static Arguments hostile(String name, byte[] archive, String summary, String field) {
        return Arguments.of(name, archive, CheckDetail.of(summary, field));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileArchives")
    void hostileEntryIsReported(String name, byte[] archive, CheckDetail expected) throws IOException {
        ArchiveReport report = inspect(archive);

        assertThat(report.problems()).containsExactly(expected);
        // a problem of the entries, not of reading: size and digest are of the whole archive
        assertThat(report.size()).isEqualTo(archive.length);
        assertThat(report.sha256()).isEqualTo(sha256(archive));
    }

    @Test
    void symlinksInsideTheArchiveAreFine() throws IOException {
        Entry[] entries = {
            dir("a/"), file("a/target", "x"), symlink("a/b/link", "../target"), symlink("a/self", "."),
            symlink("x/up", ".."), symlink("top", "a/b/../target"),
        };

        assertThat(inspect(tar(entries)).problems()).isEmpty();
        assertThat(inspect(zip(entries)).problems()).isEmpty();
    }

    @Test
    void oneProblemPerKindListingEveryOffendingEntry() throws IOException {
        byte[] archive = tar(file("../a", "x"), file("/b", "x"), file("ok", "x"), file("../c", "x"));

        assertThat(inspect(archive).problems()).containsExactly(
                CheckDetail.of(ArchiveProblems.PARENT_SEGMENT, "../a", "../c"),
                CheckDetail.of(ArchiveProblems.ABSOLUTE_PATH, "/b"));
    }

    @Test
    void offendingEntriesAreCappedInTheReport() throws IOException {
        Entry[] entries = IntStream.range(0, 150).mapToObj(i -> file("../" + i, "x")).toArray(Entry[]::new);

        List<String> fields = inspect(tar(entries)).problems().get(0).fields();

        assertThat(fields).hasSize(Findings.MAX_FIELDS + 1).endsWith("... and 50 more");
    }

    @Test
    void exactHostileSummaries() {
        assertThat(ArchiveProblems.PARENT_SEGMENT).isEqualTo("entry paths with a '..' segment");
        assertThat(ArchiveProblems.ABSOLUTE_PATH).isEqualTo("entry paths that are absolute");
        assertThat(ArchiveProblems.SYMLINK_OUTSIDE).isEqualTo("symbolic links pointing outside the archive");
        assertThat(ArchiveProblems.HARD_LINK).isEqualTo("hard links are not accepted");
        assertThat(ArchiveProblems.SPECIAL_FILE).isEqualTo("devices, FIFOs and sockets are not accepted");
        assertThat(ArchiveProblems.DUPLICATE).isEqualTo("duplicate entries");
        assertThat(ArchiveProblems.INVALID_ENCODING).isEqualTo("entry names not valid in the archive's encoding");
        assertThat(ArchiveProblems.CONTROL_CHARACTERS).isEqualTo("entry names with control characters");
    }

    // ---------------------------------------------------------------- crafted headers

    static Stream<Arguments> craftedTars() {
        byte x = TarConstants.LF_PAX_EXTENDED_HEADER_LC;
        byte g = TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER;
        return Stream.of(
                // an extractor reading pax writes ../evil although the ustar name looks harmless
                Arguments.of("pax path with ..", new RawTar().pax(x, paxRecord("path", "../evil"))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end(),
                        CheckDetail.of(ArchiveProblems.PARENT_SEGMENT, "../evil")),
                // Commons Compress strips the slash from pax paths: the raw bytes are judged
                Arguments.of("absolute pax path", new RawTar().pax(x, paxRecord("path", "/etc/passwd"))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end(),
                        CheckDetail.of(ArchiveProblems.ABSOLUTE_PATH, "/etc/passwd")),
                Arguments.of("global pax path", new RawTar().pax(g, paxRecord("path", "/etc/passwd"))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end(),
                        CheckDetail.of(ArchiveProblems.ABSOLUTE_PATH, "/etc/passwd")),
                Arguments.of("pax linkpath outside", new RawTar().pax(x, paxRecord("linkpath", "../../x"))
                        .entry("link", TarConstants.LF_SYMLINK, new byte[0]).end(),
                        CheckDetail.of(ArchiveProblems.SYMLINK_OUTSIDE, "link")),
                Arguments.of("invalid UTF-8 pax path", new RawTar()
                        .pax(x, paxRecord("path", new byte[] {'a', (byte) 0xFF, 'b'}))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end(),
                        CheckDetail.of(ArchiveProblems.INVALID_ENCODING, "a\\xFFb")),
                // a C extractor stops at the NUL and sees ".."
                Arguments.of("NUL in pax path", new RawTar().pax(x, paxRecord("path", "..\0/x"))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end(),
                        CheckDetail.of(ArchiveProblems.CONTROL_CHARACTERS, "..\\x00/x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("craftedTars")
    void craftedHeaderIsReported(String name, byte[] archive, CheckDetail expected) throws IOException {
        assertThat(inspect(archive).problems()).containsExactly(expected);
    }

    static Stream<Arguments> unreadableTars() {
        byte x = TarConstants.LF_PAX_EXTENDED_HEADER_LC;
        RawTar chain = new RawTar();
        for (int i = 0; i < 40; i++) {
            chain.pax(x, paxRecord("comment", "chained"));
        }
        return Stream.of(
                Arguments.of("5 MiB pax header", new RawTar().pax(x, paxRecord("path", "a".repeat(5 * MIB)))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end()),
                Arguments.of("5 MiB GNU long name", new RawTar().entry("././@LongLink",
                        TarConstants.LF_GNUTYPE_LONGNAME, "a/".repeat(5 * MIB / 2).getBytes(StandardCharsets.US_ASCII))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end()),
                Arguments.of("40 chained pax headers", chain.entry("ok", TarConstants.LF_NORMAL, new byte[1]).end()),
                // Commons Compress would not skip a directory's content and would read it as headers
                Arguments.of("directory with content", new RawTar()
                        .entry("d/", TarConstants.LF_DIR, tar(file("smuggled", "x")))
                        .entry("ok", TarConstants.LF_NORMAL, new byte[1]).end()),
                Arguments.of("content shorter than announced", new RawTar()
                        .header("big", TarConstants.LF_NORMAL, 10_000_000).end()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableTars")
    void craftedTarIsUnreadable(String name, byte[] archive) throws IOException {
        ArchiveReport report = inspect(archive);

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "tar"));
        assertThat(report.size()).isEqualTo(archive.length);
    }

    @Test
    void hugeGzipHeaderIsUnreadable() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GzipParameters parameters = new GzipParameters();
        parameters.setFileName("n".repeat(2 * MIB));
        try (OutputStream out = new GzipCompressorOutputStream(bytes, parameters)) {
            out.write(tar(PROJECT));
        }

        assertThat(inspect(bytes.toByteArray()).problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "gz"));
    }

    @Test
    void xzNeedingTooMuchMemoryIsUnreadable() throws IOException {
        byte[] archive = xz(tar(PROJECT));
        // block header after the 12-byte stream header: make its LZMA2 filter ask for a 4 GiB dictionary
        int headerSize = ((archive[12] & 0xFF) + 1) * 4;
        int filter = indexOf(Arrays.copyOfRange(archive, 12, 12 + headerSize), new byte[] {0x21, 0x01});
        archive[12 + filter + 2] = 40;
        CRC32 crc = new CRC32();
        crc.update(archive, 12, headerSize - 4);
        ByteBuffer.wrap(archive, 12 + headerSize - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());

        ArchiveReport report = inspect(archive);

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("At least one of its associated archives is not readable", "xz"));
        assertThat(report.size()).isEqualTo(archive.length);
    }

    @Test
    void zipLocalNameDifferentFromCentralIsUnreadable() throws IOException {
        byte[] archive = zip(file("good.txt", "x"));
        archive[30] = 'e'; // the local header's copy of the name: "eood.txt"

        assertThat(inspect(archive).problems()).containsExactly(
                CheckDetail.of("At least one of its associated archives is not readable", "zip", "good.txt"));
    }

    @Test
    void encryptedZipEntryIsUnreadable() throws IOException {
        byte[] archive = zip(file("secret.txt", "x"));
        archive[6] |= 1; // local header: "encrypted"
        archive[indexOf(archive, new byte[] {'P', 'K', 1, 2}) + 8] |= 1; // central header too

        assertThat(inspect(archive).problems()).containsExactly(
                CheckDetail.of("At least one of its associated archives is not readable", "zip", "secret.txt"));
    }

    @Test
    void zipEntryWithUnsupportedMethodIsUnreadable() throws IOException {
        byte[] archive = zip(file("a.txt", "x"));
        archive[indexOf(archive, new byte[] {'P', 'K', 1, 2}) + 10] = 14; // central header: LZMA

        assertThat(inspect(archive).problems()).containsExactly(
                CheckDetail.of("At least one of its associated archives is not readable", "zip", "a.txt"));
    }

    // ---------------------------------------------------------------- bombs

    @Test
    void tooManyEntriesInTar() throws IOException {
        ArchiveReport report = inspect(tar(numberedFiles(1_001)), DEFAULTS.withMaxEntries(1_000));

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("archive exceeds the limit of 1000 entries", "1000"));
        assertThat(report.size()).isNull();
        assertThat(report.sha256()).isNull();
        assertThat(report.entries()).isEqualTo(1_001);
    }

    @Test
    void tooManyEntriesInZip() throws IOException {
        ArchiveReport report = inspect(zip(numberedFiles(1_001)), DEFAULTS.withMaxEntries(1_000));

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("archive exceeds the limit of 1000 entries", "1000"));
        assertThat(report.entries()).isZero(); // counted in the central directory, before it was loaded
        assertThat(report.size()).isNull();
        assertThat(report.sha256()).isNull();
    }

    @Test
    void tooManyEntriesInZip64() throws IOException {
        ArchiveReport report = inspect(TestArchives.zip64(numberedFiles(1_001)), DEFAULTS.withMaxEntries(1_000));

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("archive exceeds the limit of 1000 entries", "1000"));
        assertThat(report.entries()).isZero(); // counted in the central directory, before it was loaded
    }

    @Test
    void exactlyTheEntryLimitIsFine() throws IOException {
        assertThat(inspect(tar(numberedFiles(1_000)), DEFAULTS.withMaxEntries(1_000)).problems()).isEmpty();
        assertThat(inspect(zip(numberedFiles(1_000)), DEFAULTS.withMaxEntries(1_000)).problems()).isEmpty();
    }

    static Stream<Arguments> twoMibOfZeros() {
        return Stream.of(
                Arguments.of("tar", tar(file("zeros", new byte[2 * MIB]))),
                Arguments.of("zip", zip(file("zeros", new byte[2 * MIB]))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoMibOfZeros")
    void tooManyUncompressedBytes(String format, byte[] archive) throws IOException {
        ArchiveReport report = inspect(archive, DEFAULTS.withMaxUncompressedBytes(MIB));

        assertThat(report.problems())
                .containsExactly(CheckDetail.of("archive exceeds the limit of 1048576 uncompressed bytes", "1048576"));
        assertThat(report.format()).isEqualTo(format);
        assertThat(report.size()).isNull();
        assertThat(report.sha256()).isNull();
    }

    @Test
    void compressionBombIsStoppedBeforeTheEnd() throws IOException {
        Path bomb = temp.resolve("zeros.tar.gz");
        long zeros = 50L * MIB;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(bomb));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            TarArchiveEntry entry = new TarArchiveEntry("zeros");
            entry.setSize(zeros);
            tar.putArchiveEntry(entry);
            byte[] chunk = new byte[64 * 1024];
            for (long written = 0; written < zeros; written += chunk.length) {
                tar.write(chunk);
            }
            tar.closeArchiveEntry();
        }
        long compressedSize = Files.size(bomb);

        ArchiveReport report;
        long consumed;
        try (CountingInputStream in = new CountingInputStream(Files.newInputStream(bomb))) {
            report = inspector.inspect(in, DEFAULTS, scratch);
            consumed = in.count;
        }

        assertThat(report.problems()).containsExactly(CheckDetail.of("compression ratio above 200:1", "200"));
        assertThat(report.format()).isEqualTo("tar.gz");
        assertThat(report.size()).isNull();
        assertThat(report.sha256()).isNull();
        assertThat(consumed).isLessThan(compressedSize);
        assertThat(report.uncompressedBytes()).isLessThan(zeros);
    }

    @Test
    void zipCompressionBomb() throws IOException {
        ArchiveReport report = inspect(zip(file("zeros", new byte[20 * MIB])));

        assertThat(report.problems()).containsExactly(CheckDetail.of("compression ratio above 200:1", "200"));
        assertThat(report.size()).isNull();
    }

    @Test
    void smallArchiveOfZerosIsNotFlaggedForRatio() throws IOException {
        // compresses far beyond 200:1, but too small for the ratio to mean anything
        byte[] archive = gzip(tar(file("zeros", new byte[512 * 1024])));
        assertThat(archive.length * 200L).isLessThan(512 * 1024);

        ArchiveReport report = inspect(archive);

        assertThat(report.problems()).isEmpty();
        assertThat(report.uncompressedBytes()).isEqualTo(512 * 1024);
    }

    // ---------------------------------------------------------------- transient failures

    static Stream<Arguments> failingStreams() {
        byte[] tarGz = gzip(tar(file("data.bin", randomBytes(200_000))));
        byte[] zip = zip(file("data.bin", randomBytes(200_000)));
        byte[] tar = tar(file("data.bin", randomBytes(200_000)));
        return Stream.of(
                Arguments.of("tar.gz mid-way", tarGz, tarGz.length / 2),
                Arguments.of("zip mid-way", zip, zip.length / 2),
                Arguments.of("tar mid-way", tar, tar.length / 2),
                Arguments.of("while detecting the format", tarGz, 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingStreams")
    void failingStreamIsThrownNotReported(String name, byte[] archive, int failAfter) {
        InputStream failing = new FailingInputStream(archive, failAfter);

        assertThatThrownBy(() -> inspector.inspect(failing, DEFAULTS, scratch))
                .isInstanceOf(IOException.class)
                .hasMessage("connection reset");
    }

    @Test
    void unusableScratchDirIsThrownForZip() {
        Path missing = temp.resolve("missing");

        assertThatThrownBy(() -> inspector.inspect(new ByteArrayInputStream(zip(PROJECT)), DEFAULTS, missing))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void tarNeedsNoScratchDir() throws IOException {
        ArchiveReport report = inspector.inspect(new ByteArrayInputStream(gzip(tar(PROJECT))), DEFAULTS,
                temp.resolve("missing"));

        assertThat(report.problems()).isEmpty();
    }

    // ---------------------------------------------------------------- nothing written

    static Stream<Arguments> zipsOfAllKinds() {
        byte[] valid = zip(PROJECT);
        return Stream.of(
                Arguments.of("valid", valid, DEFAULTS),
                Arguments.of("hostile", zip(file("../evil", "x")), DEFAULTS),
                Arguments.of("truncated", cut(valid, valid.length - 10), DEFAULTS),
                Arguments.of("bomb", zip(numberedFiles(20)), DEFAULTS.withMaxEntries(10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zipsOfAllKinds")
    void zipLeavesNoFileBehind(String name, byte[] archive, ArchiveLimits limits) throws IOException {
        Files.writeString(temp.resolve("unrelated.txt"), "left alone");
        Map<String, Long> before = snapshot(temp);

        inspector.inspect(new ByteArrayInputStream(archive), limits, scratch);

        assertThat(snapshot(temp)).isEqualTo(before);
        try (Stream<Path> files = Files.list(scratch)) {
            assertThat(files).isEmpty();
        }
    }

    // ---------------------------------------------------------------- helpers

    private ArchiveReport inspect(byte[] archive) throws IOException {
        return inspect(archive, DEFAULTS);
    }

    private ArchiveReport inspect(byte[] archive, ArchiveLimits limits) throws IOException {
        return inspector.inspect(new ByteArrayInputStream(archive), limits, scratch);
    }

    private static Entry[] numberedFiles(int count) {
        return IntStream.range(0, count).mapToObj(i -> file("f" + i, "x")).toArray(Entry[]::new);
    }

    /** A tar with pax headers for non-ASCII names, its ustar names written in {@code encoding}. */
    private static byte[] paxTar(String encoding, String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, encoding)) {
            tar.setAddPaxHeadersForNonAsciiNames(true);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** Every file under {@code root}, with its size. */
    private static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                files.put(root.relativize(path).toString(), Files.isDirectory(path) ? -1 : Files.size(path));
            }
        }
        return files;
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Serves {@code failAfter} bytes of {@code data}, then fails like a dropped connection. */
    private static final class FailingInputStream extends InputStream {
        private final byte[] data;
        private final int failAfter;
        private int position;

        FailingInputStream(byte[] data, int failAfter) {
            this.data = data;
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= failAfter) {
                throw new IOException("connection reset");
            }
            int n = Math.min(length, failAfter - position);
            System.arraycopy(data, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
