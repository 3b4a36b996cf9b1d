package org.wharf.checker.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.client.ClientCreated;
import org.wharf.common.message.client.CreateClient;
import org.wharf.common.message.deposit.CheckDeposit;
import org.wharf.common.message.deposit.CheckDetail;
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

    private static boolean clientCreated;

    @AfterAll
    static void close() {
        kafka.close();
    }

    /** The client every test deposits as; created through the checker's command topic, once. */
    @BeforeEach
    void client() {
        if (!clientCreated) {
            Envelope sent = kafka.send(Messages.CREATE_CLIENT, "client",
                    new CreateClient("client", "collection", "https://example.org/"));
            kafka.await(EVENTS, r -> sent.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT);
            clientCreated = true;
        }
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
        assertThat(rejected.details().archive()).singleElement().satisfies(detail -> {
            assertThat(detail.fields()).containsExactly("sha256");
            assertThat(detail.summary()).matches("archive sha256 mismatch: announced 0{64}, stored [0-9a-f]{64}");
        });
        assertThat(rejected.details().metadata()).isEmpty();
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
        assertThat(rejected.details().archive()).singleElement().extracting(CheckDetail::summary).asString()
                .startsWith("not found at s3://");
        assertThat(rejected.details().metadata()).singleElement().extracting(CheckDetail::summary).asString()
                .startsWith("not found at s3://");
    }

    @Test
    void aRedeliveredDepositGetsOneVerdict() {
        DepositReceived deposit = upload("twice".getBytes(StandardCharsets.UTF_8), null);
        Envelope received = kafka.send(Messages.DEPOSIT_RECEIVED, deposit.depositId(), deposit);
        kafka.send(Topic.DEPOSIT_RECEIVED.topicName(), deposit.depositId(), received);

        kafka.await(EVENTS, KafkaTestClient.withKey(deposit.depositId()), 1, WAIT);
        assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(deposit.depositId()), Duration.ofSeconds(3))).hasSize(1);
        // On the audit trail: the deposit's copy, written by the checker that consumed it (once, though
        // delivered twice), and the verdict's.
        assertThat(kafka.all(Topic.AUDIT.topicName(), KafkaTestClient.withKey(deposit.depositId()), Duration.ofSeconds(1)))
                .extracting(r -> KafkaTestClient.envelope(r).type())
                .containsExactlyInAnyOrder(Messages.DEPOSIT_RECEIVED.type(), Messages.DEPOSIT_VERIFIED.type());
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
    void anUploadThatIsNotAnArchiveIsRejectedAsSoftwareHeritageWould() {
        String id = UUID.randomUUID().toString();
        byte[] notAnArchive = "just some text, not an archive".getBytes(StandardCharsets.UTF_8);
        String bucket = LocalInfrastructure.DEPOSITS_BUCKET;
        s3.putObject(b -> b.bucket(bucket).key("deposits/" + id + "/archive.zip"), RequestBody.fromBytes(notAnArchive));
        s3.putObject(b -> b.bucket(bucket).key("deposits/" + id + "/metadata.xml"), RequestBody.fromString(METADATA));
        DepositReceived deposit = new DepositReceived(id, "collection", "client", "https://example.org/repo",
                new StoredObject(bucket, "deposits/" + id + "/archive.zip", (long) notAnArchive.length, sha256(notAnArchive)),
                new StoredObject(bucket, "deposits/" + id + "/metadata.xml", null, null), Instant.now());
        kafka.send(Messages.DEPOSIT_RECEIVED, id, deposit);

        DepositRejected rejected = Messages.DEPOSIT_REJECTED.read(
                KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(id), 1, WAIT).get(0)));
        assertThat(rejected.details().archive()).extracting(CheckDetail::summary)
                .containsExactly("Mandatory archive type is not supported");
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

    @Test
    void anUnknownClientAForeignCollectionAndAForeignOriginAreRejected() {
        DepositReceived base = upload("content".getBytes(StandardCharsets.UTF_8), null);
        DepositReceived unknown = new DepositReceived(UUID.randomUUID().toString(), "collection", "nobody",
                base.originUrl(), base.archive(), base.metadata(), base.receivedAt());
        DepositReceived foreign = new DepositReceived(UUID.randomUUID().toString(), "someone-elses", "client",
                "https://elsewhere.org/repo", base.archive(), base.metadata(), base.receivedAt());
        kafka.send(Messages.DEPOSIT_RECEIVED, unknown.depositId(), unknown);
        kafka.send(Messages.DEPOSIT_RECEIVED, foreign.depositId(), foreign);

        DepositRejected unknownVerdict = Messages.DEPOSIT_REJECTED.read(KafkaTestClient.envelope(
                kafka.await(EVENTS, KafkaTestClient.withKey(unknown.depositId()), 1, WAIT).get(0)));
        assertThat(unknownVerdict.details().client()).containsExactly(CheckDetail.of("unknown client nobody", "client"));

        DepositRejected foreignVerdict = Messages.DEPOSIT_REJECTED.read(KafkaTestClient.envelope(
                kafka.await(EVENTS, KafkaTestClient.withKey(foreign.depositId()), 1, WAIT).get(0)));
        assertThat(foreignVerdict.details().client()).containsExactly(
                CheckDetail.of("client client may not deposit into collection someone-elses", "collection"));
        assertThat(foreignVerdict.details().url()).containsExactly(CheckDetail.of(
                "URL mismatch: https://elsewhere.org/repo must start with https://example.org/", "originUrl"));
    }

    @Test
    void creatingAClientAgainUpdatesItAndBadInputIsRefused() {
        Envelope first = kafka.send(Messages.CREATE_CLIENT, "hal", new CreateClient("hal", "hal-1", "https://hal.example.org/"));
        Envelope again = kafka.send(Messages.CREATE_CLIENT, "hal", new CreateClient("hal", "hal-2", "https://hal.example.net/"));
        Envelope bad = kafka.send(Messages.CREATE_CLIENT, "bad", new CreateClient("bad", "c", "not a url"));

        ClientCreated created = Messages.CLIENT_CREATED.read(answerTo(first));
        assertThat(created.updated()).isFalse();
        ClientCreated updated = Messages.CLIENT_CREATED.read(answerTo(again));
        assertThat(updated.updated()).isTrue();
        assertThat(updated.collections()).containsExactly("hal-1", "hal-2");
        assertThat(updated.providerUrl()).isEqualTo("https://hal.example.net/");
        CommandRejected refused = Messages.CHECKER_COMMAND_REJECTED.read(answerTo(bad));
        assertThat(refused.reason()).isEqualTo("provider URL 'not a url' is not a URL: Illegal character in path");
    }

    private static Envelope answerTo(Envelope command) {
        return KafkaTestClient.envelope(kafka.await(EVENTS,
                r -> command.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT).get(0));
    }

    @Test
    void aDepositWithoutMetadataProvenanceIsVerifiedWithAWarningAndOneWithoutTitleIsRejected() {
        DepositReceived noProvenance = upload("content".getBytes(StandardCharsets.UTF_8), null, """
                <entry xmlns="http://www.w3.org/2005/Atom"><title>T</title><author><name>A</name></author></entry>""");
        DepositReceived noTitle = upload("content".getBytes(StandardCharsets.UTF_8), null, """
                <entry xmlns="http://www.w3.org/2005/Atom"><author><name>A</name></author></entry>""");
        kafka.send(Messages.DEPOSIT_RECEIVED, noProvenance.depositId(), noProvenance);
        kafka.send(Messages.DEPOSIT_RECEIVED, noTitle.depositId(), noTitle);

        DepositVerified verified = Messages.DEPOSIT_VERIFIED.read(KafkaTestClient.envelope(
                kafka.await(EVENTS, KafkaTestClient.withKey(noProvenance.depositId()), 1, WAIT).get(0)));
        assertThat(verified.warnings().metadata()).containsExactly(
                CheckDetail.of("Suggested fields are missing", "swh:metadata-provenance"));
        assertThat(deposits.status(noProvenance.depositId())).isEqualTo("verified");

        DepositRejected rejected = Messages.DEPOSIT_REJECTED.read(KafkaTestClient.envelope(
                kafka.await(EVENTS, KafkaTestClient.withKey(noTitle.depositId()), 1, WAIT).get(0)));
        assertThat(rejected.details().metadata()).extracting(CheckDetail::summary).contains("Mandatory fields are missing");
    }

    @Test
    void aRejectedDepositIsCheckedAgainFromItsAnnouncementOnceItsClientIsFixed() {
        String client = "late-" + UUID.randomUUID().toString().substring(0, 8);
        Envelope created = kafka.send(Messages.CREATE_CLIENT, client, new CreateClient(client, "collection", "https://old.example.org/"));
        kafka.await(EVENTS, r -> created.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT);
        DepositReceived uploaded = upload("checked twice".getBytes(StandardCharsets.UTF_8), null);
        DepositReceived deposit = new DepositReceived(uploaded.depositId(), uploaded.collection(), client, "https://new.example.org/repo",
                uploaded.archive(), uploaded.metadata(), uploaded.receivedAt());
        kafka.send(Messages.DEPOSIT_RECEIVED, deposit.depositId(), deposit);
        Envelope first = KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(deposit.depositId()), 1, WAIT).get(0));
        assertThat(first.type()).isEqualTo(Messages.DEPOSIT_REJECTED.type());
        assertThat(Messages.DEPOSIT_REJECTED.read(first).details().url()).singleElement()
                .satisfies(d -> assertThat(d.summary()).startsWith("URL mismatch"));

        // The provider URL fixed, the deposit is judged again from what was received, and verified.
        Envelope fixed = kafka.send(Messages.CREATE_CLIENT, client, new CreateClient(client, "collection", "https://new.example.org/"));
        kafka.await(EVENTS, r -> fixed.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT);
        Envelope again = kafka.send(Messages.CHECK_DEPOSIT, deposit.depositId(), new CheckDeposit(deposit.depositId()));
        Envelope second = KafkaTestClient.envelope(kafka.await(EVENTS, r -> again.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT).get(0));
        assertThat(second.type()).isEqualTo(Messages.DEPOSIT_VERIFIED.type());
        DepositVerified verified = Messages.DEPOSIT_VERIFIED.read(second);
        assertThat(verified.archive()).isEqualTo(deposit.archive());
        assertThat(verified.originUrl()).isEqualTo("https://new.example.org/repo");
        assertThat(deposits.status(deposit.depositId())).isEqualTo("verified");

        // Verified now: a further check is refused, as is one of a deposit the checker never received.
        Envelope refused = kafka.send(Messages.CHECK_DEPOSIT, deposit.depositId(), new CheckDeposit(deposit.depositId()));
        Envelope refusal = KafkaTestClient.envelope(kafka.await(EVENTS, r -> refused.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT).get(0));
        assertThat(refusal.type()).isEqualTo(Messages.CHECKER_COMMAND_REJECTED.type());
        assertThat(Messages.CHECKER_COMMAND_REJECTED.read(refusal).reason()).startsWith("deposit " + deposit.depositId()
                + " is verified: only a rejected deposit, or one still deposited, is checked again");
        String stranger = UUID.randomUUID().toString();
        Envelope unknown = kafka.send(Messages.CHECK_DEPOSIT, stranger, new CheckDeposit(stranger));
        Envelope unknownAnswer = KafkaTestClient.envelope(kafka.await(EVENTS, r -> unknown.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT).get(0));
        assertThat(Messages.CHECKER_COMMAND_REJECTED.read(unknownAnswer).reason()).isEqualTo("deposit " + stranger + " is unknown to the checker");
        assertThat(kafka.all(EVENTS, r -> deposit.depositId().equals(r.key())
                && Messages.DEPOSIT_VERIFIED.is(KafkaTestClient.envelope(r)), Duration.ofSeconds(1))).hasSize(1);
    }

    private DepositReceived upload(byte[] archive, String announcedSha256) {
        return upload(archive, announcedSha256, METADATA);
    }

    private DepositReceived upload(byte[] content, String announcedSha256, String metadata) {
        byte[] archive = tarGz("README", new String(content, StandardCharsets.UTF_8));
        String id = UUID.randomUUID().toString();
        String bucket = LocalInfrastructure.DEPOSITS_BUCKET;
        s3.putObject(b -> b.bucket(bucket).key("deposits/" + id + "/archive.zip"), RequestBody.fromBytes(archive));
        s3.putObject(b -> b.bucket(bucket).key("deposits/" + id + "/metadata.xml"), RequestBody.fromString(metadata));
        return new DepositReceived(id, "collection", "client", "https://example.org/repo",
                new StoredObject(bucket, "deposits/" + id + "/archive.zip", (long) archive.length,
                        announcedSha256 != null ? announcedSha256 : sha256(archive)),
                new StoredObject(bucket, "deposits/" + id + "/metadata.xml", null, null), Instant.now());
    }

    static final String METADATA = """
            <?xml version="1.0"?>
            <entry xmlns="http://www.w3.org/2005/Atom" xmlns:codemeta="https://doi.org/10.5063/SCHEMA/CODEMETA-2.0"
                   xmlns:swh="https://www.softwareheritage.org/schema/2018/deposit">
              <title>A deposit</title>
              <author><name>Alice</name></author>
              <swh:deposit>
                <swh:metadata-provenance><schema:url xmlns:schema="http://schema.org/">https://example.org/</schema:url></swh:metadata-provenance>
              </swh:deposit>
            </entry>
            """;

    /** A tar.gz with one file, built in memory (small). */
    static byte[] tarGz(String name, String content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (var gzip = new GzipCompressorOutputStream(bytes);
                 var tar = new TarArchiveOutputStream(gzip)) {
                byte[] data = content.getBytes(StandardCharsets.UTF_8);
                var entry = new TarArchiveEntry(name);
                entry.setSize(data.length);
                tar.putArchiveEntry(entry);
                tar.write(data);
                tar.closeArchiveEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
