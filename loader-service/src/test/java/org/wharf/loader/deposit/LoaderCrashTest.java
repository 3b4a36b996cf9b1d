package org.wharf.loader.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.loader.LoaderApplication;
import org.wharf.common.topic.Topic;
import org.wharf.loader.swhid.GitObjectHasher;
import org.wharf.loader.swhid.ObjectId;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The loader as it runs in production, a process with its heap capped at 256 MiB, loads an archive
 * larger than its heap; killed abruptly in the middle (right after an object reached the bucket and
 * before the schema recorded it), the next loader process removes that object, finishes the load with
 * exactly one DepositLoaded, and leaves the bucket holding exactly what the schema records.
 */
class LoaderCrashTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String EVENTS = Topic.LOADER_EVENTS.topicName();
    private static final int LARGE_FILES = 4;
    private static final int LARGE_MIB = 80;
    private static final int SMALL_FILES = 3000;

    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aLoaderKilledMidLoadLeavesNothingBehindAndTheNextOneFinishesOnce() throws Exception {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        Map<String, Object> properties = new HashMap<>(infrastructure.serviceProperties("loader"));
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource((String) properties.get("spring.datasource.url"),
                (String) properties.get("spring.datasource.username"), (String) properties.get("spring.datasource.password")));
        String depositId = UUID.randomUUID().toString();
        Path archive = work.resolve("archive.tar");
        Map<String, ObjectId> ids = writeArchive(archive);
        long archiveBytes = Files.size(archive);
        assertThat(archiveBytes).as("the archive is larger than the loader's heap").isGreaterThan(300L << 20);

        try (S3Client s3 = S3Clients.create(infrastructure.s3())) {
            DepositVerified verified = TestDeposits.verified(s3, depositId, archive, "https://example.org/large", "1.0");

            Path firstLog = work.resolve("first.log");
            Process first = start(properties, firstLog, 3);
            kafka.send(Messages.DEPOSIT_VERIFIED, depositId, verified);
            assertThat(first.waitFor(5, TimeUnit.MINUTES)).as("the first loader died").isTrue();
            String firstOutput = Files.readString(firstLog);
            assertThat(first.exitValue()).as(firstOutput).isEqualTo(137);
            String orphan = firstOutput.replaceAll("(?s).*halting after the upload of (\\S+).*", "$1");
            assertThat(TestDeposits.bucketKeys(s3)).as("the object the dead loader uploaded").contains(orphan);
            assertThat(jdbc.queryForObject("select state from archive_object where key = ?", String.class, orphan))
                    .isEqualTo("uploading");
            assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(1)))
                    .extracting(r -> KafkaTestClient.envelope(r).type()).containsExactly(Messages.DEPOSIT_LOADING.type());

            Path secondLog = work.resolve("second.log");
            Process second = start(properties, secondLog, 0);
            List<ConsumerRecord<String, byte[]>> loaded = kafka.await(EVENTS,
                    KafkaTestClient.withKey(depositId).and(KafkaTestClient.ofType(Messages.DEPOSIT_LOADED)), 1, Duration.ofMinutes(5));
            Thread.sleep(1000);
            String secondOutput = Files.readString(secondLog);
            assertThat(second.isAlive()).as(secondOutput).isTrue();

            assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(1)))
                    .extracting(r -> KafkaTestClient.envelope(r).type())
                    .containsExactly(Messages.DEPOSIT_LOADING.type(), Messages.DEPOSIT_LOADED.type());
            DepositLoaded result = Messages.DEPOSIT_LOADED.read(KafkaTestClient.envelope(loaded.get(0)));
            assertThat(result.directory()).startsWith("swh:1:dir:");

            assertThat(TestDeposits.bucketKeys(s3)).as("the dead loader's unfinished object was removed").doesNotContain(orphan);
            TestDeposits.assertBucketMatchesSchema(s3, jdbc);
            Integer stored = jdbc.queryForObject("""
                    select count(*) from content c join archive_object o on o.key = c.object_key
                    where o.state = 'stored' and c.sha1_git = any(?)""", Integer.class,
                    (Object) ids.values().stream().map(ObjectId::bytes).toArray(byte[][]::new));
            assertThat(stored).as("every content of the archive is stored").isEqualTo(ids.size());
            ObjectId firstLarge = ids.get("large/0.bin");
            Map<String, Object> location = jdbc.queryForMap("select object_key, length from content where sha1_git = ?",
                    (Object) firstLarge.bytes());
            assertThat(location).containsEntry("object_key", "content/" + firstLarge.hex())
                    .containsEntry("length", (long) LARGE_MIB << 20);
            try (InputStream in = s3.getObject(b -> b.bucket(LocalInfrastructure.ARCHIVE_BUCKET).key("content/" + firstLarge.hex()))) {
                assertThat(GitObjectHasher.blobId((long) LARGE_MIB << 20, in)).isEqualTo(firstLarge);
            }
            long peak = ServiceProcess.peakHeapMiB(secondOutput);
            assertThat(peak).isPositive();
            assertThat(peak).as("peak heap of the loader, MiB").isLessThanOrEqualTo(256);
        }
    }

    private Process start(Map<String, Object> properties, Path log, int haltAfterUploads) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>(properties);
        config.put("wharf.loader.archive.pack-threshold", "64KB");
        config.put("wharf.loader.archive.pack-size", "1MB");
        config.put("wharf.loader.scratch-directory", work.resolve("scratch").toString());
        config.put("wharf.consumer.retry-max-interval", "1s");
        // A dead member's partitions move on after this, not after the default 45 s.
        config.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        config.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        Process process = ServiceProcess.start(LoaderApplication.class, LoaderApplication.SERVICE_NAME, config, 256, log,
                HaltAfterUploads.class, "-Dwharf.test.halt-after-uploads=" + haltAfterUploads);
        processes.add(process);
        return process;
    }

    /** Small files first (packed), then large ones (an object each); returns each file's blob id. */
    private static Map<String, ObjectId> writeArchive(Path archive) throws IOException {
        Map<String, ObjectId> ids = new LinkedHashMap<>();
        Random random = new Random();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            for (int i = 0; i < SMALL_FILES; i++) {
                byte[] content = new byte[2000 + random.nextInt(4000)];
                random.nextBytes(content);
                put(tar, "small/" + (i / 100) + "/" + i + ".bin", content);
                ids.put("small/" + i, GitObjectHasher.blobId(content));
            }
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < LARGE_FILES; i++) {
                random.nextBytes(block);
                TarArchiveEntry entry = new TarArchiveEntry("large/" + i + ".bin");
                entry.setSize((long) LARGE_MIB << 20);
                entry.setMode(0100644);
                tar.putArchiveEntry(entry);
                MessageDigest sha1 = sha1((long) LARGE_MIB << 20);
                for (int block_ = 0; block_ < LARGE_MIB; block_++) {
                    block[0] = (byte) block_; // every MiB differs
                    tar.write(block);
                    sha1.update(block);
                }
                tar.closeArchiveEntry();
                ids.put("large/" + i + ".bin", new ObjectId(sha1.digest()));
            }
        }
        return ids;
    }

    private static MessageDigest sha1(long size) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return sha1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0100644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
