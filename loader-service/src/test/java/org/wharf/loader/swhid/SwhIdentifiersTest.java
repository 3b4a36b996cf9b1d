package org.wharf.loader.swhid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.loader.swhid.SwhIdentifiers.Branch;
import org.wharf.loader.swhid.SwhIdentifiers.Date;
import org.wharf.loader.swhid.SwhIdentifiers.Release;

class SwhIdentifiersTest {

    private static ObjectId id(String hex) {
        return ObjectId.fromHex(hex);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Linus's 2005 tag date from swh-model's vectors: 2005-10-27 17:02:33 -0700. */
    private static final long LINUS_SECONDS =
            OffsetDateTime.of(2005, 10, 27, 17, 2, 33, 0, ZoneOffset.ofHours(-7)).toEpochSecond();

    private static final String V2_6_14_MESSAGE = """
            Linux 2.6.14 release
            -----BEGIN PGP SIGNATURE-----
            Version: GnuPG v1.4.1 (GNU/Linux)

            iD8DBQBDYWq6F3YsRnbiHLsRAmaeAJ9RCez0y8rOBbhSv344h86l/VVcugCeIhO1
            wdLOnvj91G4wxYqrvThthbE=
            =7VeT
            -----END PGP SIGNATURE-----
            """;

    private static final String V2_6_12_MESSAGE = """
            This is the final 2.6.12 release
            -----BEGIN PGP SIGNATURE-----
            Version: GnuPG v1.2.4 (GNU/Linux)

            iD8DBQBCsykyF3YsRnbiHLsRAvPNAJ482tCZwuxp/bJRz7Q98MHlN83TpACdHr37
            o6X/3T+vm8K3bf3driRr34c=
            =sBHn
            -----END PGP SIGNATURE-----
            """;

    /** Vectors from swh-model's swh/model/tests/test_identifiers.py (ReleaseIdentifier). */
    @Nested
    class SwhModelReleaseVectors {

        private Release v2614(String targetType) {
            return new Release(id("741b2252a5e14d6c60a913c77a6099abe73a854a"), targetType, bytes("v2.6.14"),
                    bytes("Linus Torvalds <torvalds@g5.osdl.org>"), new Date(LINUS_SECONDS, 0, -420, false),
                    bytes(V2_6_14_MESSAGE));
        }

        @Test
        void release() {
            assertThat(v2614("revision").id()).isEqualTo(id("2b10839e32c4c476e9d94492756bb1a3e1ec4aa8"));
        }

        @Test
        void releaseViaFlatMethod() {
            assertThat(SwhIdentifiers.releaseId(id("741b2252a5e14d6c60a913c77a6099abe73a854a"), "revision",
                    bytes("v2.6.14"), bytes("Linus Torvalds <torvalds@g5.osdl.org>"), LINUS_SECONDS, 0, -420, false,
                    bytes(V2_6_14_MESSAGE)))
                    .isEqualTo(id("2b10839e32c4c476e9d94492756bb1a3e1ec4aa8"));
        }

        @Test
        void snapshotTarget() {
            // Written as "type refs", an SWH extension of the git tag format.
            assertThat(v2614("snapshot").id()).isEqualTo(id("c29c3ddcc6769a04e54dd69d63a6fdcbc566f850"));
        }

        @Test
        void noAuthor() {
            Release release = new Release(id("9ee1c939d1cb936b1f98e8d81aeffab57bae46ab"), "revision",
                    bytes("v2.6.12"), null, null, bytes(V2_6_12_MESSAGE));
            assertThat(release.id()).isEqualTo(id("26791a8bcf0e6d33f43aef7682bdb555236d56de"));
            assertThat(new String(release.manifest(), StandardCharsets.UTF_8)).doesNotContain("tagger");
        }

        @Test
        void noMessage() {
            // The vector gives name and email only; swh-model's Person.from_dict makes "name <email>".
            Release release = new Release(id("9ee1c939d1cb936b1f98e8d81aeffab57bae46ab"), "revision",
                    bytes("v2.6.12"), bytes("Linus Torvalds <torvalds@g5.osdl.org>"),
                    new Date(LINUS_SECONDS, 0, -420, false), null);
            assertThat(release.id()).isEqualTo(id("b6f4f446715f7d9543ef54e41b62982f0db40045"));
            assertThat(release.manifest()).endsWith(bytes(" -0700\n"));
        }

        @Test
        void emptyMessageStillAddsTheBlankLine() {
            Release release = new Release(id("9ee1c939d1cb936b1f98e8d81aeffab57bae46ab"), "revision",
                    bytes("v2.6.12"), bytes("Linus Torvalds <torvalds@g5.osdl.org>"),
                    new Date(LINUS_SECONDS, 0, -420, false), new byte[0]);
            assertThat(release.id()).isEqualTo(id("71a0aea72444d396575dc25ac37fec87ee3c6492"));
            assertThat(release.manifest()).endsWith(bytes(" -0700\n\n"));
        }

        @Test
        void negativeUtc() {
            Release release = new Release(id("54e9abca4c77421e2921f5f156c9fe4a9f7441c7"), "revision",
                    bytes("20081029"), bytes("Otavio Salvador <otavio@debian.org>"),
                    new Date(1225281976L, 0, 0, true), bytes("tagging version 20081029\n\nr56558\n"));
            assertThat(release.id()).isEqualTo(id("97c8d2573a001f88e72d75f596cf86b12b82fd01"));
            assertThat(new String(release.manifest(), StandardCharsets.UTF_8))
                    .contains("tagger Otavio Salvador <otavio@debian.org> 1225281976 -0000\n");
        }

        @Test
        void newlineInAuthorIsContinuedWithASpace() {
            Release release = new Release(id("c06aa3d93b78a2865c4935170030f8c2d7396fd3"), "revision",
                    bytes("0.3.2"), bytes("Eugene Janusov\n<esycat@gmail.com>"), new Date(1377480558L, 0, 600, false),
                    bytes("Release of v0.3.2."));
            assertThat(release.id()).isEqualTo(id("5c98f559d034162de22d3ebeb95433e6f8885231"));
            assertThat(new String(release.manifest(), StandardCharsets.UTF_8))
                    .contains("tagger Eugene Janusov\n <esycat@gmail.com> 1377480558 +1000\n");
        }
    }

    /** Vectors from swh-model's test_identifiers.py (SnapshotIdentifier). */
    @Nested
    class SwhModelSnapshotVectors {

        @Test
        void empty() {
            assertThat(SwhIdentifiers.snapshotId(Map.of())).isEqualTo(id("1a8893e6a86f444e8be8e7bda6cb34fb1735a00e"));
        }

        @Test
        void danglingBranch() {
            Map<byte[], Branch> branches = new LinkedHashMap<>();
            branches.put(bytes("HEAD"), null);
            assertThat(SwhIdentifiers.snapshotManifest(branches)).isEqualTo(bytes("dangling HEAD\0" + "0:"));
            assertThat(SwhIdentifiers.snapshotId(branches)).isEqualTo(id("c84502e821eb21ed84e9fd3ec40973abc8b32353"));
        }

        @Test
        void unresolvedAlias() {
            Map<byte[], Branch> branches = Map.of(bytes("foo"), Branch.alias(bytes("bar")));
            assertThat(SwhIdentifiers.snapshotManifest(branches)).isEqualTo(bytes("alias foo\0" + "3:bar"));
            assertThat(SwhIdentifiers.snapshotId(branches)).isEqualTo(id("84b4548ea486e4b0a7933fa541ff1503a0afe1e0"));
        }

        @Test
        void allTargetTypesIncludingAnAlias() {
            Map<byte[], Branch> branches = new LinkedHashMap<>();
            branches.put(bytes("directory"), Branch.to("directory", id("1bd0e65f7d2ff14ae994de17a1e7fe65111dcad8")));
            branches.put(bytes("content"), Branch.to("content", id("fe95a46679d128ff167b7c55df5d02356c5a1ae1")));
            branches.put(bytes("alias"), Branch.alias(bytes("revision")));
            branches.put(bytes("revision"), Branch.to("revision", id("aafb16d69fd30ff58afdd69036a26047f3aebdc6")));
            branches.put(bytes("release"), Branch.to("release", id("7045404f3d1c54e6473c71bbb716529fbad4be24")));
            branches.put(bytes("snapshot"), Branch.to("snapshot", id("1a8893e6a86f444e8be8e7bda6cb34fb1735a00e")));
            branches.put(bytes("dangling"), null);
            assertThat(SwhIdentifiers.snapshotId(branches)).isEqualTo(id("6e65b86363953b780d92b0a928f3e8fcdd10db36"));
        }
    }

    @Nested
    class Snapshots {

        @Test
        void branchesAreSortedAsUnsignedBytes() {
            ObjectId target = id("7045404f3d1c54e6473c71bbb716529fbad4be24");
            byte[] high = {(byte) 0xe9, 't', 'e'}; // latin-1 "ete": not UTF-8, and sorts after ASCII
            Map<byte[], Branch> branches = new LinkedHashMap<>();
            branches.put(high, Branch.to("release", target));
            branches.put(bytes("z"), Branch.to("release", target));
            byte[] manifest = SwhIdentifiers.snapshotManifest(branches);
            assertThat(manifest[8]).isEqualTo((byte) 'z'); // "release z..." comes first
            assertThat(SwhIdentifiers.snapshotId(branches))
                    .isEqualTo(SwhIdentifiers.snapshotId(Map.of(bytes("z"), Branch.to("release", target),
                            high.clone(), Branch.to("release", target))));
        }

        @Test
        void rejectsDuplicateNamesAndBadTargets() {
            Map<byte[], Branch> branches = new LinkedHashMap<>();
            branches.put(bytes("a"), null);
            branches.put(bytes("a"), null);
            assertThatThrownBy(() -> SwhIdentifiers.snapshotId(branches))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
            assertThatThrownBy(() -> new Branch("release", new byte[19]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Branch("tag", new byte[20])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Dates {

        @Test
        void timestampsAsInSwhModel() {
            // swh-model's UtilityFunctionsDateOffset vectors.
            assertThat(new Date(1448210036L, 0, 0, false).formattedTimestamp()).isEqualTo("1448210036");
            assertThat(new Date(1448210036L, 2342, 0, false).formattedTimestamp()).isEqualTo("1448210036.002342");
            assertThat(new Date(1448210036L, 120000, 0, false).formattedTimestamp()).isEqualTo("1448210036.12");
            assertThat(new Date(-5L, 1, 0, false).formattedTimestamp()).isEqualTo("-5.000001");
        }

        @Test
        void offsets() {
            assertThat(new Date(0, 0, 0, false).formattedOffset()).isEqualTo("+0000");
            assertThat(new Date(0, 0, 0, true).formattedOffset()).isEqualTo("-0000");
            assertThat(new Date(0, 0, -450, false).formattedOffset()).isEqualTo("-0730");
            assertThat(new Date(0, 0, -450, true).formattedOffset()).isEqualTo("-0730");
            assertThat(new Date(0, 0, 345, true).formattedOffset()).isEqualTo("+0545");
            assertThat(new Date(0, 0, 840, false).formattedOffset()).isEqualTo("+1400");
            assertThat(new Date(0, 0, -6000, false).formattedOffset()).isEqualTo("-10000");
        }

        @Test
        void microsecondsGoIntoTheManifest() {
            Release release = new Release(GitObjectHasher.EMPTY_TREE_ID, "directory", bytes("v1"),
                    bytes("A <a@b>"), new Date(1700000000L, 500, -90, false), bytes("m\n"));
            assertThat(new String(release.manifest(), StandardCharsets.UTF_8))
                    .isEqualTo("object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype tree\ntag v1\n"
                            + "tagger A <a@b> 1700000000.0005 -0130\n\nm\n");
            assertThat(release.id()).isNotEqualTo(new Release(GitObjectHasher.EMPTY_TREE_ID, "directory",
                    bytes("v1"), bytes("A <a@b>"), new Date(1700000000L, 0, -90, false), bytes("m\n")).id());
        }

        @Test
        void rejectsOutOfRangeValues() {
            assertThatThrownBy(() -> new Date(0, 1_000_000, 0, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Date(0, -1, 0, false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Date(0, 0, 40_000, false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** git itself as the oracle: a release SWH can express as a git tag has that tag's id. */
    @Nested
    class AgainstGit {

        @TempDir
        Path dir;

        @Test
        void tagOnTree() throws Exception {
            assumeTrue(Git.available(), "git not installed");
            git(null, "init", "-q", ".");
            ObjectId tree = id(new String(git("100644 blob e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\tempty\n"
                    .getBytes(StandardCharsets.US_ASCII), "mktree", "--missing"), StandardCharsets.US_ASCII).trim());

            List<Release> releases = new ArrayList<>();
            releases.add(new Release(tree, "directory", bytes("v1.0"),
                    bytes("Software Heritage <robot@softwareheritage.org>"), new Date(1507389428L, 0, 0, false),
                    bytes("hal: Deposit 666 in collection hal\n")));
            releases.add(new Release(tree, "directory", bytes("v-neg"), bytes("Jane Doe <jane@example.org>"),
                    new Date(1225281976L, 0, -450, false), bytes("negative offset\n\nbody\n")));
            releases.add(new Release(tree, "directory", bytes("v-negutc"), bytes("Jane Doe <jane@example.org>"),
                    new Date(1225281976L, 0, 0, true), bytes("negative utc\n")));
            releases.add(new Release(tree, "directory", new byte[] {'v', (byte) 0xe9, (byte) 0xff},
                    new byte[] {'J', (byte) 0xf6, 'r', 'g', ' ', '<', 'j', '@', 'x', '>'},
                    new Date(0L, 0, 345, false), new byte[] {(byte) 0xe9, '\n'}));
            releases.add(new Release(tree, "directory", bytes("v-empty"), bytes("Jane Doe <jane@example.org>"),
                    new Date(1700000000L, 0, 60, false), new byte[0]));
            releases.add(new Release(GitObjectHasher.EMPTY_TREE_ID, "directory", bytes("v-empty-tree"),
                    bytes("Jane Doe <jane@example.org>"), new Date(1700000000L, 0, -60, false), bytes("x\n")));
            git(new byte[0], "hash-object", "-t", "tree", "-w", "--stdin");

            for (Release release : releases) {
                String gitId = new String(git(release.manifest(), "mktag"), StandardCharsets.US_ASCII).trim();
                assertThat(release.id().hex()).as("%s", release).isEqualTo(gitId);
                // And git reads back exactly the bytes we hashed.
                assertThat(git(null, "cat-file", "tag", gitId)).isEqualTo(release.manifest());
            }
        }

        /** The project's git runner (isolated configuration), in this test's folder. */
        private byte[] git(byte[] stdin, String... args) throws IOException, InterruptedException {
            return new Git(dir).run(dir, stdin, args);
        }
    }

    @Nested
    class Swhids {

        private final ObjectId dir = id("fd2df12dc5534c1da1e9180b915102fb6f601d19");
        private final ObjectId snp = id("28d6c5f69c4022a359203de8e2e81bda103b148e");
        private final ObjectId rel = id("c98c19f43ef10a4262345d8e85ca283cea99c7b3");

        @Test
        void core() {
            assertThat(SwhIdentifiers.swhid("dir", dir)).isEqualTo("swh:1:dir:fd2df12dc5534c1da1e9180b915102fb6f601d19");
            assertThat(SwhIdentifiers.swhid("rel", rel)).isEqualTo("swh:1:rel:c98c19f43ef10a4262345d8e85ca283cea99c7b3");
            assertThat(SwhIdentifiers.swhid("snp", snp)).isEqualTo("swh:1:snp:28d6c5f69c4022a359203de8e2e81bda103b148e");
            assertThatThrownBy(() -> SwhIdentifiers.swhid("ori", dir)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void qualifiedDirectory() {
            assertThat(SwhIdentifiers.qualifiedDirectory(dir, "https://hal-test.archives-ouvertes.fr/some-external-id",
                    snp, rel))
                    .isEqualTo("swh:1:dir:fd2df12dc5534c1da1e9180b915102fb6f601d19"
                            + ";origin=https://hal-test.archives-ouvertes.fr/some-external-id"
                            + ";visit=swh:1:snp:28d6c5f69c4022a359203de8e2e81bda103b148e"
                            + ";anchor=swh:1:rel:c98c19f43ef10a4262345d8e85ca283cea99c7b3"
                            + ";path=/");
        }

        @Test
        void originEscapesOnlyPercentAndSemicolon() {
            // Expected value from swh-model's QualifiedSWHID.qualifiers() logic, checked in Python.
            assertThat(SwhIdentifiers.escapeOrigin("https://example.org/a;b%20c?d=1&e=f g"))
                    .isEqualTo("https://example.org/a%3Bb%2520c?d=1&e=f g");
            assertThat(SwhIdentifiers.qualifiedDirectory(dir, "https://x.org/;%", snp, rel))
                    .contains(";origin=https://x.org/%3B%25;visit=");
            assertThat(SwhIdentifiers.escapeOrigin("https://exämple.org/ü")).isEqualTo("https://exämple.org/ü");
        }

        @Test
        void pathIsPercentEncodedLikeQuoteFromBytes() {
            // urllib.parse.quote_from_bytes(b"/foo bar/\xc3\xa9;x%y~_.-!*'()\xff")
            byte[] path = {'/', 'f', 'o', 'o', ' ', 'b', 'a', 'r', '/', (byte) 0xc3, (byte) 0xa9, ';', 'x', '%', 'y',
                '~', '_', '.', '-', '!', '*', '\'', '(', ')', (byte) 0xff};
            assertThat(SwhIdentifiers.escapePath(path)).isEqualTo("/foo%20bar/%C3%A9%3Bx%25y~_.-%21%2A%27%28%29%FF");
            assertThat(SwhIdentifiers.escapePath(new byte[] {'/'})).isEqualTo("/");
        }
    }

    @Test
    void releaseValidation() {
        assertThatThrownBy(() -> new Release(GitObjectHasher.EMPTY_TREE_ID, "tree", bytes("v"), null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target type");
        assertThatThrownBy(() -> new Release(GitObjectHasher.EMPTY_TREE_ID, "directory", bytes("v"), null,
                new Date(0, 0, 0, false), null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void releaseCopiesItsArrays() {
        byte[] name = bytes("v1");
        Release release = new Release(GitObjectHasher.EMPTY_TREE_ID, "directory", name, null, null, null);
        ObjectId before = release.id();
        name[0] = 'X';
        release.name()[0] = 'Y';
        assertThat(release.id()).isEqualTo(before);
    }
}
