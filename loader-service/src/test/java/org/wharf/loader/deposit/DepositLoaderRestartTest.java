package org.wharf.loader.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;
import org.wharf.loader.LoaderApplication;
import org.wharf.loader.swhid.ArchiveFixtures;
import org.wharf.loader.swhid.GitObjectHasher;
import org.wharf.loader.swhid.GitObjectHasher.Mode;
import org.wharf.loader.swhid.GitObjectHasher.TreeEntry;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * A loader that dies after announcing DepositLoading but before finishing (here: S3 unreachable, the
 * load retrying, the service stopped) finishes the load after restart, with exactly one DepositLoading
 * and one DepositLoaded; a redelivered DepositVerified changes nothing.
 */
class DepositLoaderRestartTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String EVENTS = Topic.LOADER_EVENTS.topicName();

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aLoadInterruptedMidwayFinishesOnceAfterRestart() throws Exception {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        String depositId = UUID.randomUUID().toString();
        byte[] archive = ArchiveFixtures.tarOf("UTF-8", ArchiveFixtures.file("hello.txt", 0644), ArchiveFixtures.utf8("hello\n"));
        DepositVerified verified;
        try (S3Client s3 = S3Clients.create(infrastructure.s3())) {
            verified = TestDeposits.verified(s3, depositId, archive, "https://example.org/p", "1.0");
        }

        Envelope sent;
        try (ConfigurableApplicationContext dying = start(Map.of("wharf.s3.endpoint", "http://127.0.0.1:9"))) {
            sent = kafka.send(Messages.DEPOSIT_VERIFIED, depositId, verified);
            kafka.await(EVENTS, KafkaTestClient.withKey(depositId), 1, Duration.ofSeconds(30));
        } // stopped while the load is retrying: DepositLoading committed and published, no verdict

        assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(1)))
                .extracting(r -> KafkaTestClient.envelope(r).type()).containsExactly(Messages.DEPOSIT_LOADING.type());

        try (ConfigurableApplicationContext restarted = start(Map.of())) {
            List<ConsumerRecord<String, byte[]>> events = kafka.await(EVENTS, KafkaTestClient.withKey(depositId), 2, Duration.ofSeconds(60));
            kafka.send(Topic.CHECKER_EVENTS.topicName(), depositId, sent); // the same DepositVerified, redelivered
            Thread.sleep(2000);
            events = kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(2));

            assertThat(events).extracting(r -> KafkaTestClient.envelope(r).type())
                    .containsExactly(Messages.DEPOSIT_LOADING.type(), Messages.DEPOSIT_LOADED.type());
            Envelope loading = KafkaTestClient.envelope(events.get(0));
            Envelope loaded = KafkaTestClient.envelope(events.get(1));
            assertThat(loading.causationId()).isEqualTo(sent.id());
            assertThat(loaded.causationId()).isEqualTo(loading.id());
            assertThat(loaded.correlationId()).isEqualTo(sent.correlationId());
            DepositLoaded result = Messages.DEPOSIT_LOADED.read(loaded);
            String expected = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.FILE,
                    "hello.txt".getBytes(StandardCharsets.UTF_8), GitObjectHasher.blobId("hello\n".getBytes(StandardCharsets.UTF_8))))).hex();
            assertThat(result.directory()).isEqualTo("swh:1:dir:" + expected);
            assertThat(result.originUrl()).isEqualTo("https://example.org/p");
            assertThat(result.release()).matches("swh:1:rel:[0-9a-f]{40}");
            assertThat(result.snapshot()).matches("swh:1:snp:[0-9a-f]{40}");
            assertThat(result.context()).isEqualTo(result.directory() + ";origin=https://example.org/p;visit="
                    + result.snapshot() + ";anchor=" + result.release() + ";path=/");
        }
    }

    @Test
    void uploadsThatKeepFailingAreRetriedNotFailedAndLeaveNothingBehind() throws Exception {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        String depositId = UUID.randomUUID().toString();
        byte[] big = new byte[3 << 20]; // an object of its own, besides a pack
        new Random().nextBytes(big);
        byte[] archive = ArchiveFixtures.tarOf("UTF-8", ArchiveFixtures.file("small.txt", 0644),
                ArchiveFixtures.utf8("small " + depositId + "\n"), ArchiveFixtures.file("big.bin", 0644), big);
        try (S3Client s3 = S3Clients.create(infrastructure.s3())) {
            DepositVerified verified = TestDeposits.verified(s3, depositId, archive, "https://example.org/uploads", "1.0");

            // The archive bucket is missing: every upload fails, so the load is retried, never failed.
            try (ConfigurableApplicationContext failing = start(Map.of("wharf.loader.archive.bucket", "wharf-archive-missing"))) {
                kafka.send(Messages.DEPOSIT_VERIFIED, depositId, verified);
                JdbcTemplate jdbc = failing.getBean(JdbcTemplate.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (jdbc.queryForObject("select count(*) from archive_object where deposit_id = ?", Integer.class, depositId) == 0) {
                    assertThat(System.nanoTime()).as("an upload was attempted").isLessThan(deadline);
                    Thread.sleep(100);
                }
                Thread.sleep(3000); // a few retries
                assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(1)))
                        .extracting(r -> KafkaTestClient.envelope(r).type()).containsExactly(Messages.DEPOSIT_LOADING.type());
            }

            try (ConfigurableApplicationContext restarted = start(Map.of())) {
                kafka.await(EVENTS, KafkaTestClient.withKey(depositId).and(KafkaTestClient.ofType(Messages.DEPOSIT_LOADED)), 1,
                        Duration.ofSeconds(60));
                assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(1)))
                        .extracting(r -> KafkaTestClient.envelope(r).type())
                        .containsExactly(Messages.DEPOSIT_LOADING.type(), Messages.DEPOSIT_LOADED.type());
                JdbcTemplate jdbc = restarted.getBean(JdbcTemplate.class);
                assertThat(jdbc.queryForList("select key from archive_object where deposit_id = ?", String.class, depositId))
                        .hasSize(2).contains("content/" + GitObjectHasher.blobId(big).hex());
                TestDeposits.assertBucketMatchesSchema(s3, jdbc);
            }
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> overrides) {
        return SharedInfrastructure.startService(LoaderApplication.class, LoaderApplication.SERVICE_NAME, "loader", overrides);
    }
}
