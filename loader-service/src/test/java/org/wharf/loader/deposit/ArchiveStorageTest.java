package org.wharf.loader.deposit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositLoadFailed;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.message.deposit.RescheduleDeposit;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;
import org.wharf.loader.LoaderApplication;
import org.wharf.loader.archive.ArchiveLoad;
import org.wharf.loader.archive.ObjectArchive;
import org.wharf.loader.swhid.ArchiveFixtures;
import org.wharf.loader.swhid.Git;
import org.wharf.loader.swhid.GitObjectHasher;
import org.wharf.loader.swhid.ObjectId;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Loads deposits through Kafka into the real bucket and schema, and checks what was stored against git:
 * every content readable by its id with git's blob id, every directory recorded with git's tree id and
 * entries, shared contents stored once, a second load of a deposit storing nothing new. Small limits
 * (4 KiB packs threshold, 32 KiB packs, 256 KiB contents) make a small tree exercise every path.
 */
class ArchiveStorageTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String EVENTS = Topic.LOADER_EVENTS.topicName();
    private static final long MAX_CONTENT = 256 * 1024;

    private static ConfigurableApplicationContext loader;
    private static ObjectArchive archive;
    private static JdbcTemplate jdbc;
    private static S3Client s3;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        loader = SharedInfrastructure.startService(LoaderApplication.class, LoaderApplication.SERVICE_NAME, "loader", Map.of(
                "wharf.loader.archive.pack-threshold", "4KB",
                "wharf.loader.archive.pack-size", "32KB",
                "wharf.loader.archive.max-content-size", MAX_CONTENT + "B",
                "wharf.loader.archive.abandoned-upload-sweep", "300ms"));
        archive = loader.getBean(ObjectArchive.class);
        jdbc = loader.getBean(JdbcTemplate.class);
        s3 = S3Clients.create(SharedInfrastructure.get().s3());
    }

    @AfterAll
    static void stop() {
        if (loader != null) {
            loader.close();
        }
        s3.close();
        kafka.close();
    }

    @Test
    void everyContentAndDirectoryIsStoredWithGitsIds() throws Exception {
        assumeTrue(Git.available(), "git is needed as the oracle");
        Path tree = Files.createDirectories(work.resolve("tree"));
        ArchiveFixtures.createSampleTree(tree); // nesting, executables, symlinks, empty files, a / a.b / a-b / a0
        byte[] medium = new byte[50_000]; // over the pack threshold: an object of its own
        new Random(7).nextBytes(medium);
        Files.write(tree.resolve("src/medium.bin"), medium);
        for (int i = 0; i < 40; i++) { // enough small files for several packs
            ArchiveFixtures.write(tree, "many/file-" + i + ".txt", ("line " + i + "\n").repeat(200 + i));
        }
        byte[] tar = ArchiveFixtures.pack(tree, ArchiveFixtures.Format.TAR_GZ);

        DepositLoaded loaded = load(TestDeposits.verified(s3, UUID.randomUUID().toString(), tar, "https://example.org/tree", "1.0"));

        Git git = new Git(Files.createDirectories(work.resolve("git-home")));
        ObjectId root = git.writeTree(tree);
        assertThat(loaded.directory()).isEqualTo("swh:1:dir:" + root.hex());

        // Every tree git has, with exactly git's entries.
        List<ObjectId> trees = new ArrayList<>(List.of(root));
        for (String[] row : lsTree(git, tree, root.hex(), true)) {
            if (row[1].equals("tree")) {
                trees.add(ObjectId.fromHex(row[2]));
            }
        }
        assertThat(trees).hasSizeGreaterThan(8);
        for (ObjectId id : trees) {
            Set<String> expected = new HashSet<>();
            for (String[] row : lsTree(git, tree, id.hex(), false)) {
                expected.add(row[0] + " " + row[3] + " " + row[2]);
            }
            assertThat(storedEntries(id)).as("entries of directory %s", id.hex()).isEqualTo(expected);
        }

        // Every content git has is readable by its id, byte for byte, or recorded as skipped.
        int checked = 0;
        for (String[] row : lsTree(git, tree, root.hex(), true)) {
            if (!row[1].equals("blob")) {
                continue;
            }
            ObjectId id = ObjectId.fromHex(row[2]);
            Path file = tree.resolve(row[3]);
            byte[] expected = Files.isSymbolicLink(file)
                    ? Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8) : Files.readAllBytes(file);
            assertThat(GitObjectHasher.blobId(expected)).isEqualTo(id);
            if (expected.length > MAX_CONTENT) {
                assertThat(archive.read(id)).as(row[3]).isEmpty();
                assertThat(archive.isSkipped(id)).as(row[3]).isTrue();
                assertThat(jdbc.queryForObject("select reason from skipped_content where sha1_git = ?", String.class,
                        (Object) id.bytes())).isEqualTo(ArchiveLoad.TOO_LARGE);
            } else {
                try (InputStream in = archive.read(id).orElseThrow(() -> new AssertionError(row[3] + " is not archived"))) {
                    assertThat(in.readAllBytes()).as(row[3]).isEqualTo(expected);
                }
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(jdbc.queryForObject("select count(*) from archive_object where key like 'pack/%'", Integer.class))
                .as("small contents went into packs").isGreaterThan(1);
        assertThat(jdbc.queryForObject("select count(*) from archive_object where key = ?", Integer.class,
                "content/" + GitObjectHasher.blobId(medium).hex())).as("a larger content has an object keyed by its id").isOne();
        TestDeposits.assertBucketMatchesSchema(s3, jdbc);
    }

    @Test
    void aContentUploadNoLoadOwnsIsAbortedAndAClaimedOneOnlyOnceItsClaimEnds() throws Exception {
        String bucket = LocalInfrastructure.ARCHIVE_BUCKET;
        String claimed = "content/claimed-" + UUID.randomUUID();
        String stray = "content/stray-" + UUID.randomUUID();
        jdbc.update("insert into archive_object (key, deposit_id, state, size) values (?, 'sweep-test', 'uploading', 1)", claimed);
        s3.createMultipartUpload(b -> b.bucket(bucket).key(claimed));
        s3.createMultipartUpload(b -> b.bucket(bucket).key(stray)); // as a loader killed mid-upload, or whose abort failed, leaves it
        assertThat(awaitOpenUploads(bucket, keys -> !keys.contains(stray), Duration.ofSeconds(20)))
                .as("the stray upload was aborted").doesNotContain(stray).contains(claimed);
        Thread.sleep(1000); // three sweeps more
        assertThat(awaitOpenUploads(bucket, keys -> true, Duration.ZERO)).as("a claimed object's upload is its load's").contains(claimed);

        jdbc.update("delete from archive_object where key = ?", claimed); // the load gave it up
        assertThat(awaitOpenUploads(bucket, keys -> !keys.contains(claimed), Duration.ofSeconds(20)))
                .as("once nobody claims it, its upload goes too").doesNotContain(claimed);
    }

    /** The open uploads of the bucket once {@code done} holds of their keys, or as they are at the deadline. */
    private static List<String> awaitOpenUploads(String bucket, Predicate<List<String>> done, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<String> keys = s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads().stream()
                    .map(MultipartUpload::key).toList();
            if (done.test(keys) || System.nanoTime() >= deadline) {
                return keys;
            }
            Thread.sleep(200);
        }
    }

    @Test
    void emptyFoldersAndNonUtf8NamesAreKept() throws Exception {
        byte[] latin1Name = {'c', (byte) 0xe9, '.', 't', 'x', 't'}; // "cé.txt" in ISO-8859-1: not UTF-8
        byte[] tar = ArchiveFixtures.tarOf("ISO-8859-1",
                ArchiveFixtures.file("c\u00e9.txt", 0644), ArchiveFixtures.utf8("latin\n"),
                new TarArchiveEntry("empty/"), null,
                ArchiveFixtures.file("a/b.txt", 0644), ArchiveFixtures.utf8("b\n"));
        DepositLoaded loaded = load(TestDeposits.verified(s3, UUID.randomUUID().toString(), tar, "https://example.org/empty", "1"));

        ObjectId root = ObjectId.fromHex(loaded.directory().substring("swh:1:dir:".length()));
        Set<String> entries = storedEntries(root);
        assertThat(entries).contains("040000 empty " + GitObjectHasher.EMPTY_TREE_ID.hex());
        assertThat(storedEntries(GitObjectHasher.EMPTY_TREE_ID)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from directory where id = ?", Integer.class,
                (Object) GitObjectHasher.EMPTY_TREE_ID.bytes())).isOne();
        List<byte[]> names = jdbc.queryForList("select name from directory_entry where directory = ?", byte[].class,
                (Object) root.bytes());
        assertThat(names).anySatisfy(name -> assertThat(name).isEqualTo(latin1Name));
    }

    @Test
    void contentsSharedByTwoDepositsAreStoredOnce() throws Exception {
        byte[] sharedSmall = ArchiveFixtures.utf8("shared small " + UUID.randomUUID() + "\n");
        byte[] sharedLarge = random(60_000, 1);
        byte[] onlyFirst = ArchiveFixtures.utf8("first " + UUID.randomUUID() + "\n");
        byte[] onlySecond = ArchiveFixtures.utf8("second " + UUID.randomUUID() + "\n");
        byte[] onlySecondLarge = random(70_000, 2);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        load(TestDeposits.verified(s3, first, ArchiveFixtures.tarOf("UTF-8",
                ArchiveFixtures.file("shared.txt", 0644), sharedSmall,
                ArchiveFixtures.file("shared.bin", 0644), sharedLarge,
                ArchiveFixtures.file("first.txt", 0644), onlyFirst), "https://example.org/first", "1"));
        load(TestDeposits.verified(s3, second, ArchiveFixtures.tarOf("UTF-8",
                ArchiveFixtures.file("copy/shared.txt", 0755), sharedSmall,
                ArchiveFixtures.file("copy/shared.bin", 0644), sharedLarge,
                ArchiveFixtures.file("second.txt", 0644), onlySecond,
                ArchiveFixtures.file("second.bin", 0644), onlySecondLarge), "https://example.org/second", "1"));

        // The second deposit's objects hold only what the first did not have.
        Map<ObjectId, String> ownerOf = new HashMap<>();
        jdbc.query("select c.sha1_git, o.deposit_id from content c join archive_object o on o.key = c.object_key "
                + "where o.deposit_id in (?, ?)", rs -> {
                    ownerOf.put(new ObjectId(rs.getBytes(1)), rs.getString(2));
                }, first, second);
        assertThat(ownerOf).containsEntry(GitObjectHasher.blobId(sharedSmall), first)
                .containsEntry(GitObjectHasher.blobId(sharedLarge), first)
                .containsEntry(GitObjectHasher.blobId(onlyFirst), first)
                .containsEntry(GitObjectHasher.blobId(onlySecond), second)
                .containsEntry(GitObjectHasher.blobId(onlySecondLarge), second)
                .hasSize(5);
        Long secondBytes = jdbc.queryForObject("select sum(size) from archive_object where deposit_id = ?", Long.class, second);
        assertThat(secondBytes).isEqualTo((long) onlySecond.length + onlySecondLarge.length);
        try (InputStream in = archive.read(GitObjectHasher.blobId(sharedLarge)).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(sharedLarge);
        }
        TestDeposits.assertBucketMatchesSchema(s3, jdbc);
    }

    @Test
    void loadingTheSameDepositTwiceStoresNothingTwice() throws Exception {
        String depositId = UUID.randomUUID().toString();
        String origin = "https://example.org/twice-" + depositId;
        byte[] tar = ArchiveFixtures.tarOf("UTF-8",
                ArchiveFixtures.file("a.txt", 0644), ArchiveFixtures.utf8("a " + depositId + "\n"),
                ArchiveFixtures.file("big.bin", 0644), random(30_000, 3),
                ArchiveFixtures.file("d/b.txt", 0644), ArchiveFixtures.utf8("b " + depositId + "\n"));
        DepositLoaded firstLoad = load(TestDeposits.verified(s3, depositId, tar, origin, "2.0"));
        Map<String, Object> before = jdbc.queryForMap("select (select count(*) from archive_object) objects, "
                + "(select count(*) from content) contents, (select count(*) from directory_entry) entries, "
                + "(select count(*) from release) releases, (select count(*) from snapshot_branch) branches");

        kafka.send(Messages.RESCHEDULE_DEPOSIT, depositId, new RescheduleDeposit(depositId));
        TestDeposits.fireScheduleOnce(kafka, depositId);
        List<ConsumerRecord<String, byte[]>> events = kafka.await(EVENTS,
                KafkaTestClient.withKey(depositId).and(KafkaTestClient.ofType(Messages.DEPOSIT_LOADED)), 2, Duration.ofSeconds(60));
        DepositLoaded secondLoad = Messages.DEPOSIT_LOADED.read(KafkaTestClient.envelope(events.get(1)));

        assertThat(secondLoad).isEqualTo(firstLoad);
        Map<String, Object> after = jdbc.queryForMap("select (select count(*) from archive_object) objects, "
                + "(select count(*) from content) contents, (select count(*) from directory_entry) entries, "
                + "(select count(*) from release) releases, (select count(*) from snapshot_branch) branches");
        assertThat(after).isEqualTo(before);
        assertThat(jdbc.queryForList("select visit from origin_visit where origin = ? order by visit", Integer.class, origin))
                .containsExactly(1, 2);
        TestDeposits.assertBucketMatchesSchema(s3, jdbc);
    }

    @Test
    void aCorruptArchiveFailsWithAReasonAndLeavesNoUnfinishedObject() throws Exception {
        byte[] tar = ArchiveFixtures.pack(sampleTree(), ArchiveFixtures.Format.TAR_GZ);
        byte[] truncated = Arrays.copyOf(tar, tar.length / 2);
        String depositId = UUID.randomUUID().toString();
        kafka.send(Messages.DEPOSIT_VERIFIED, depositId,
                TestDeposits.verified(s3, depositId, truncated, "https://example.org/corrupt", "1"));
        List<ConsumerRecord<String, byte[]>> events = kafka.await(EVENTS,
                KafkaTestClient.withKey(depositId).and(KafkaTestClient.ofType(Messages.DEPOSIT_LOAD_FAILED)), 1, Duration.ofSeconds(60));
        DepositLoadFailed failed = Messages.DEPOSIT_LOAD_FAILED.read(KafkaTestClient.envelope(events.get(0)));
        assertThat(failed.reason()).startsWith("archive is corrupt or truncated");
        assertThat(jdbc.queryForObject("select count(*) from archive_object where deposit_id = ? and state <> 'stored'",
                Integer.class, depositId)).isZero();
        TestDeposits.assertBucketMatchesSchema(s3, jdbc);
    }

    /**
     * The archive object is replaced, with one of the same size, between the check and the load (the
     * DepositVerified carries the checked figures): the load fails with the reason and writes no graph.
     */
    @Test
    void anArchiveReplacedAfterItsCheckFailsAndWritesNoGraph() throws Exception {
        Path tree = sampleTree();
        byte[] checked = ArchiveFixtures.pack(tree, ArchiveFixtures.Format.TAR);
        ArchiveFixtures.write(tree, "README.md", "HELLO\n");
        byte[] replacement = ArchiveFixtures.pack(tree, ArchiveFixtures.Format.TAR);
        assertThat(replacement).hasSameSizeAs(checked).isNotEqualTo(checked);
        String depositId = UUID.randomUUID().toString();
        String checkedSha256 = TestDeposits.sha256(new ByteArrayInputStream(checked));
        DepositVerified verified = TestDeposits.verified(s3, depositId, replacement, "https://example.org/replaced", "1");
        DepositVerified asChecked = TestDeposits.verified(depositId, verified.archive().key(), checked.length, checkedSha256,
                verified.originUrl(), "1");
        Map<String, Integer> before = graphRows();

        kafka.send(Messages.DEPOSIT_VERIFIED, depositId, asChecked);

        DepositLoadFailed failed = awaitFailure(depositId);
        assertThat(failed.reason()).isEqualTo("the archive changed after it was checked: checked sha256 " + checkedSha256
                + ", read " + TestDeposits.sha256(new ByteArrayInputStream(replacement)));
        assertThat(graphRows()).as("directories, releases, snapshots, visits").isEqualTo(before);
        assertThat(jdbc.queryForMap("select status, directory, release, snapshot, visit from deposit where deposit_id = ?",
                depositId)).containsEntry("status", "failed").containsEntry("directory", null).containsEntry("release", null)
                .containsEntry("snapshot", null).containsEntry("visit", null);
        TestDeposits.assertBucketMatchesSchema(s3, jdbc);
    }

    /** A replaced archive of another size is refused before a byte of it is read. */
    @Test
    void anArchiveOfAnotherSizeThanCheckedIsNotRead() throws Exception {
        byte[] checked = ArchiveFixtures.pack(sampleTree(), ArchiveFixtures.Format.TAR_GZ);
        byte[] replacement = ArchiveFixtures.pack(sampleTree(), ArchiveFixtures.Format.TAR);
        String depositId = UUID.randomUUID().toString();
        DepositVerified verified = TestDeposits.verified(s3, depositId, replacement, "https://example.org/resized", "1");
        Map<String, Integer> before = graphRows();

        kafka.send(Messages.DEPOSIT_VERIFIED, depositId, TestDeposits.verified(depositId, verified.archive().key(),
                checked.length, TestDeposits.sha256(new ByteArrayInputStream(checked)), verified.originUrl(), "1"));

        assertThat(awaitFailure(depositId).reason()).isEqualTo("the archive changed after it was checked: checked "
                + checked.length + " bytes, now " + replacement.length + " bytes");
        assertThat(graphRows()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from archive_object where deposit_id = ?", Integer.class, depositId))
                .isZero();
        TestDeposits.assertBucketMatchesSchema(s3, jdbc);
    }

    /**
     * A bomb that never went through the checker (a DepositVerified written straight to the topic, with
     * its true size and sha256) is held to the checker's limits by the loader: it fails naming the limit,
     * and leaves no graph, no unfinished object and nothing in the bucket that the schema does not know.
     */
    @Test
    void aBombSentStraightToTheLoaderFailsNamingTheLimitAndStoresNothing() throws Exception {
        byte[] bomb = ArchiveFixtures.gzip(ArchiveFixtures.tarOf("UTF-8", ArchiveFixtures.file("zeros", 0644),
                new byte[64 * 1024 * 1024]));
        String depositId = UUID.randomUUID().toString();
        Map<String, Integer> before = graphRows();

        kafka.send(Messages.DEPOSIT_VERIFIED, depositId, TestDeposits.verified(s3, depositId, bomb, "https://example.org/bomb", "1"));

        assertThat(awaitFailure(depositId).reason()).isEqualTo("compression ratio above 200:1");
        assertThat(graphRows()).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from archive_object where deposit_id = ? and state <> 'stored'",
                Integer.class, depositId)).isZero();
        TestDeposits.assertBucketMatchesSchema(s3, jdbc);
    }

    private static DepositLoadFailed awaitFailure(String depositId) {
        List<ConsumerRecord<String, byte[]>> events = kafka.await(EVENTS, KafkaTestClient.withKey(depositId).and(r -> {
            String type = KafkaTestClient.envelope(r).type();
            return Messages.DEPOSIT_LOADED.is(type) || Messages.DEPOSIT_LOAD_FAILED.is(type);
        }), 1, Duration.ofSeconds(60));
        Envelope answer = KafkaTestClient.envelope(events.get(0));
        assertThat(answer.type()).isEqualTo(Messages.DEPOSIT_LOAD_FAILED.type());
        return Messages.DEPOSIT_LOAD_FAILED.read(answer);
    }

    /** Row counts of the graph's tables. */
    private static Map<String, Integer> graphRows() {
        Map<String, Integer> counts = new HashMap<>();
        for (String table : List.of("directory", "directory_entry", "release", "snapshot", "snapshot_branch", "origin_visit",
                "content", "skipped_content")) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Integer.class));
        }
        return counts;
    }

    private Path sampleTree() throws Exception {
        Path tree = Files.createDirectories(work.resolve("sample-" + UUID.randomUUID()));
        ArchiveFixtures.createSampleTree(tree);
        return tree;
    }

    private static DepositLoaded load(DepositVerified verified) {
        kafka.send(Messages.DEPOSIT_VERIFIED, verified.depositId(), verified);
        List<ConsumerRecord<String, byte[]>> events = kafka.await(EVENTS,
                KafkaTestClient.withKey(verified.depositId()).and(r -> {
                    String type = KafkaTestClient.envelope(r).type();
                    return Messages.DEPOSIT_LOADED.is(type) || Messages.DEPOSIT_LOAD_FAILED.is(type);
                }), 1, Duration.ofSeconds(60));
        Envelope last = KafkaTestClient.envelope(events.get(0));
        assertThat(last.type()).as("the load of %s ended", verified.depositId()).isEqualTo(Messages.DEPOSIT_LOADED.type());
        return Messages.DEPOSIT_LOADED.read(last);
    }

    /** The stored entries of a directory as {@code <git mode> <name> <target>}. */
    private static Set<String> storedEntries(ObjectId directory) {
        return new HashSet<>(jdbc.query("select perms, name, target from directory_entry where directory = ?",
                (rs, n) -> String.format("%06o", rs.getInt(1)) + " " + new String(rs.getBytes(2), StandardCharsets.UTF_8)
                        + " " + new ObjectId(rs.getBytes(3)).hex(), (Object) directory.bytes()));
    }

    /** {@code git ls-tree [-r -t] -z <tree>}: mode, type, id, path. */
    private static List<String[]> lsTree(Git git, Path repo, String tree, boolean recursive) throws Exception {
        byte[] out = recursive ? git.run(repo, null, "ls-tree", "-r", "-t", "-z", tree) : git.run(repo, null, "ls-tree", "-z", tree);
        List<String[]> rows = new ArrayList<>();
        for (String row : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (row.isEmpty()) {
                continue;
            }
            int tab = row.indexOf('\t');
            String[] meta = row.substring(0, tab).split(" ");
            rows.add(new String[] {meta[0], meta[1], meta[2], row.substring(tab + 1)});
        }
        return rows;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed ^ System.nanoTime()).nextBytes(bytes);
        return bytes;
    }
}
