package org.wharf.checker.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wharf.checker.CheckerApplication;
import org.wharf.checker.deposit.internal.CheckedDeposits;
import org.wharf.common.consumer.ConsumerConfiguration;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.Problem;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.topic.Topic;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

@SpringBootTest(classes = CheckerApplication.class, properties = "wharf.service-name=checker-service")
class DepositCheckerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String EVENTS = Topic.CHECKER_EVENTS.topicName();

    @Autowired
    S3Client s3;
    @Autowired
    CheckedDeposits deposits;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.register(registry, "checker");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aDepositWhoseArchiveMatchesItsAnnouncementIsVerified() {
        DepositReceived deposit = upload("archive bytes".getBytes(StandardCharsets.UTF_8), null);
        Envelope received = kafka.send(Messages.DEPOSIT_RECEIVED, deposit.depositId(), deposit);

        Envelope verdict = KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(deposit.depositId()), 1, WAIT).get(0));
        assertThat(verdict.type()).isEqualTo(Messages.DEPOSIT_VERIFIED.type());
        DepositVerified verified = Messages.DEPOSIT_VERIFIED.read(verdict);
        assertThat(verified.archive()).isEqualTo(deposit.archive());
        assertThat(verdict.causationId()).isEqualTo(received.id());
        assertThat(verdict.correlationId()).isEqualTo(received.correlationId());
        assertThat(deposits.status(deposit.depositId())).isEqualTo("verified");
    }

    @Test
    void aSha256MismatchIsRejectedWithTheFieldAndProblem() {
        DepositReceived deposit = upload("the real bytes".getBytes(StandardCharsets.UTF_8), "0".repeat(64));
        kafka.send(Messages.DEPOSIT_RECEIVED, deposit.depositId(), deposit);

        Envelope verdict = KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(deposit.depositId()), 1, WAIT).get(0));
        assertThat(verdict.type()).isEqualTo(Messages.DEPOSIT_REJECTED.type());
        DepositRejected rejected = Messages.DEPOSIT_REJECTED.read(verdict);
        assertThat(rejected.details()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("archive.sha256");
            assertThat(problem.problem()).contains("0".repeat(64)).contains(sha256("the real bytes".getBytes(StandardCharsets.UTF_8)));
        });
        assertThat(deposits.status(deposit.depositId())).isEqualTo("rejected");
    }

    @Test
    void aMissingArchiveIsRejectedNotRetried() {
        String id = UUID.randomUUID().toString();
        DepositReceived deposit = new DepositReceived(id, "collection", "client", "https://example.org/repo",
                new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, "nowhere/" + id, 10L, "0".repeat(64)),
                new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, "nowhere/" + id + ".xml", null, null), Instant.now());
        kafka.send(Messages.DEPOSIT_RECEIVED, id, deposit);

        DepositRejected rejected = Messages.DEPOSIT_REJECTED.read(
                KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(id), 1, WAIT).get(0)));
        assertThat(rejected.details()).extracting(Problem::field).containsExactly("archive", "metadata");
        assertThat(rejected.details().get(0).problem()).startsWith("not found at s3://");
    }

    @Test
    void aRedeliveredDepositGetsOneVerdict() {
        DepositReceived deposit = upload("twice".getBytes(StandardCharsets.UTF_8), null);
        Envelope received = kafka.send(Messages.DEPOSIT_RECEIVED, deposit.depositId(), deposit);
        kafka.send(Topic.DEPOSIT_RECEIVED.topicName(), deposit.depositId(), received);

        kafka.await(EVENTS, KafkaTestClient.withKey(deposit.depositId()), 1, WAIT);
        assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(deposit.depositId()), Duration.ofSeconds(3))).hasSize(1);
        assertThat(kafka.all(Topic.AUDIT.topicName(), KafkaTestClient.withKey(deposit.depositId()), Duration.ofSeconds(1)))
                .as("the verdict's copy on the audit topic").hasSize(1);
    }

    @Test
    void garbageGoesToTheDeadLetterTopicWithAReasonAndTheNextRecordIsStillChecked() {
        String garbageKey = "garbage-" + UUID.randomUUID();
        kafka.send(new ProducerRecord<>(Topic.DEPOSIT_RECEIVED.topicName(), null, garbageKey,
                "this is not json".getBytes(StandardCharsets.UTF_8), new RecordHeaders()));
        String badPayloadKey = "bad-payload-" + UUID.randomUUID();
        Envelope badPayload = Envelope.first("/wharf/test", Messages.DEPOSIT_RECEIVED.type(), badPayloadKey, "test",
                "{\"depositId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        kafka.send(Topic.DEPOSIT_RECEIVED.topicName(), badPayloadKey, badPayload);
        DepositReceived good = upload("after the garbage".getBytes(StandardCharsets.UTF_8), null);
        kafka.send(Messages.DEPOSIT_RECEIVED, good.depositId(), good);

        var dead = kafka.await(Topic.DEPOSIT_RECEIVED.deadLetterTopicName(), KafkaTestClient.withKey(garbageKey), 1, WAIT).get(0);
        assertThat(dead.value()).isEqualTo("this is not json".getBytes(StandardCharsets.UTF_8));
        assertThat(KafkaBinding.get(dead.headers(), ConsumerConfiguration.DEAD_LETTER_REASON)).contains("no ce_type header");
        var deadPayload = kafka.await(Topic.DEPOSIT_RECEIVED.deadLetterTopicName(), KafkaTestClient.withKey(badPayloadKey), 1, WAIT).get(0);
        assertThat(KafkaBinding.get(deadPayload.headers(), ConsumerConfiguration.DEAD_LETTER_REASON))
                .contains("does not match " + Messages.DEPOSIT_RECEIVED.type()).contains("missing field");

        Envelope verdict = KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(good.depositId()), 1, WAIT).get(0));
        assertThat(verdict.type()).isEqualTo(Messages.DEPOSIT_VERIFIED.type());
    }

    @Test
    void aTypeTheCheckerDoesNotKnowIsSkippedNotDeadLettered() {
        String key = "future-" + UUID.randomUUID();
        Envelope future = Envelope.first("/wharf/test", "org.wharf.deposit.received.v2", key, "test",
                "{\"shape\":\"of the future\"}".getBytes(StandardCharsets.UTF_8));
        kafka.send(Topic.DEPOSIT_RECEIVED.topicName(), key, future);
        DepositReceived good = upload("after the future".getBytes(StandardCharsets.UTF_8), null);
        kafka.send(Messages.DEPOSIT_RECEIVED, good.depositId(), good);

        kafka.await(EVENTS, KafkaTestClient.withKey(good.depositId()), 1, WAIT);
        assertThat(kafka.all(Topic.DEPOSIT_RECEIVED.deadLetterTopicName(), KafkaTestClient.withKey(key), Duration.ofSeconds(1))).isEmpty();
        assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(key), Duration.ofSeconds(1))).isEmpty();
    }

    private DepositReceived upload(byte[] archive, String announcedSha256) {
        String id = UUID.randomUUID().toString();
        String bucket = LocalInfrastructure.DEPOSITS_BUCKET;
        s3.putObject(b -> b.bucket(bucket).key("deposits/" + id + "/archive.zip"), RequestBody.fromBytes(archive));
        s3.putObject(b -> b.bucket(bucket).key("deposits/" + id + "/metadata.xml"), RequestBody.fromString("<entry/>"));
        return new DepositReceived(id, "collection", "client", "https://example.org/repo",
                new StoredObject(bucket, "deposits/" + id + "/archive.zip", (long) archive.length,
                        announcedSha256 != null ? announcedSha256 : sha256(archive)),
                new StoredObject(bucket, "deposits/" + id + "/metadata.xml", null, null), Instant.now());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
