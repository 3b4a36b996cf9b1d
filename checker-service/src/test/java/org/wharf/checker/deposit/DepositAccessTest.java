package org.wharf.checker.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.checker.CheckerApplication;
import org.wharf.checker.deposit.internal.CheckedDeposits;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.client.CreateClient;
import org.wharf.common.message.deposit.CheckDetail;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.s3.S3Properties;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The store's permanent answers are verdicts, not retries. The checker reads from an S3 server (s3proxy)
 * that answers 403 for every object under {@code forbidden/}, as a bucket policy would; a deposit there
 * is rejected naming the object, and the next deposit on the same partition is checked right after it.
 * (This class starts its own checker: it must run before the cached context of DepositCheckerTest.)
 */
class DepositAccessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OTHER_BUCKET = "not-deposits";
    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String EVENTS = Topic.CHECKER_EVENTS.topicName();

    private static Path storage;
    private static S3Proxy gated;
    private static S3Client s3;
    private static ConfigurableApplicationContext checker;

    @BeforeAll
    static void start() throws Exception {
        storage = Files.createTempDirectory("wharf-gated-s3-");
        String secret = UUID.randomUUID().toString();
        FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(storage.toString());
        gated = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "gated", secret).build();
        gated.setBlobStoreLocator((identity, bucket, key) ->
                key != null && key.startsWith("forbidden/") ? null : new AccessGrant(secret, store));
        gated.start();
        while (!"STARTED".equals(gated.getState())) {
            Thread.sleep(10);
        }
        S3Properties client = new S3Properties();
        client.setEndpoint(URI.create("http://127.0.0.1:" + gated.getPort()));
        client.setAccessKey("gated");
        client.setSecretKey(secret);
        client.setPathStyle(true);
        s3 = S3Clients.create(client);
        s3.createBucket(b -> b.bucket(LocalInfrastructure.DEPOSITS_BUCKET));
        s3.createBucket(b -> b.bucket(OTHER_BUCKET));
        checker = SharedInfrastructure.startService(CheckerApplication.class, CheckerApplication.SERVICE_NAME, "checker",
                Map.of("wharf.s3.endpoint", client.getEndpoint().toString(), "wharf.s3.access-key", "gated",
                        "wharf.s3.secret-key", secret));
        Envelope sent = kafka.send(Messages.CREATE_CLIENT, "access-client",
                new CreateClient("access-client", "access-collection", "https://access.example.org/"));
        kafka.await(EVENTS, r -> sent.id().equals(KafkaTestClient.envelope(r).causationId()), 1, WAIT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (checker != null) {
            checker.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (gated != null) {
            gated.stop();
        }
        Folders.deleteRecursively(storage);
    }

    @Test
    void theForbiddenDepositIsRejectedWhileTheNextOnItsPartitionIsVerified() throws Exception {
        String forbiddenId = UUID.randomUUID().toString();
        String nextId = onSamePartition(forbiddenId);
        DepositReceived forbidden = upload(forbiddenId, "forbidden/" + forbiddenId + "/", LocalInfrastructure.DEPOSITS_BUCKET);
        DepositReceived next = upload(nextId, "deposits/" + nextId + "/", LocalInfrastructure.DEPOSITS_BUCKET);

        kafka.send(Messages.DEPOSIT_RECEIVED, forbiddenId, forbidden);
        kafka.send(Messages.DEPOSIT_RECEIVED, nextId, next);

        Envelope verdict = KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(forbiddenId), 1, WAIT).get(0));
        assertThat(verdict.type()).isEqualTo(Messages.DEPOSIT_REJECTED.type());
        DepositRejected rejected = Messages.DEPOSIT_REJECTED.read(verdict);
        assertThat(rejected.details().archive()).singleElement().satisfies(detail -> {
            assertThat(detail.fields()).containsExactly(forbidden.archive().key());
            assertThat(detail.summary()).startsWith("s3://" + LocalInfrastructure.DEPOSITS_BUCKET + "/"
                    + forbidden.archive().key() + ": access denied (403");
        });
        assertThat(rejected.details().metadata()).singleElement().extracting(CheckDetail::summary).asString()
                .startsWith("s3://" + LocalInfrastructure.DEPOSITS_BUCKET + "/" + forbidden.metadata().key()
                        + ": access denied (403");
        Envelope nextVerdict = KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(nextId), 1, WAIT).get(0));
        assertThat(nextVerdict.type()).isEqualTo(Messages.DEPOSIT_VERIFIED.type());
        CheckedDeposits deposits = checker.getBean(CheckedDeposits.class);
        assertThat(deposits.status(forbiddenId)).isEqualTo("rejected");
    }

    @Test
    void aDepositInAnotherBucketIsRejectedUnread() {
        String id = UUID.randomUUID().toString();
        DepositReceived elsewhere = upload(id, "deposits/" + id + "/", OTHER_BUCKET);

        kafka.send(Messages.DEPOSIT_RECEIVED, id, elsewhere);

        DepositRejected rejected = Messages.DEPOSIT_REJECTED.read(
                KafkaTestClient.envelope(kafka.await(EVENTS, KafkaTestClient.withKey(id), 1, WAIT).get(0)));
        assertThat(rejected.details().archive()).singleElement().isEqualTo(CheckDetail.of("s3://" + OTHER_BUCKET + "/"
                + elsewhere.archive().key() + " is not in the deposits bucket " + LocalInfrastructure.DEPOSITS_BUCKET,
                elsewhere.archive().key()));
        assertThat(rejected.details().metadata()).singleElement().extracting(CheckDetail::summary).asString()
                .endsWith(" is not in the deposits bucket " + LocalInfrastructure.DEPOSITS_BUCKET);
    }

    /** Uploads a good deposit under {@code prefix} (by the test's own credentials, which the gate lets through). */
    private static DepositReceived upload(String id, String prefix, String bucket) {
        byte[] archive = DepositCheckerTest.tarGz("README", "access\n");
        String key = prefix + "archive.tar.gz";
        if (!key.startsWith("forbidden/")) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(archive));
            s3.putObject(b -> b.bucket(bucket).key(key + ".xml"), RequestBody.fromString(DepositCheckerTest.METADATA));
        }
        return new DepositReceived(id, "access-collection", "access-client", "https://access.example.org/p",
                new StoredObject(bucket, key, (long) archive.length, DepositCheckerTest.sha256(archive)),
                new StoredObject(bucket, key + ".xml", null, null), Instant.now());
    }

    /** A deposit id whose records land on the same partition of the received topic as {@code id}'s. */
    private static String onSamePartition(String id) throws Exception {
        String bootstrap = (String) SharedInfrastructure.get().serviceProperties("checker").get("spring.kafka.bootstrap-servers");
        int partitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            String topic = Topic.DEPOSIT_RECEIVED.topicName();
            partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
        int wanted = partition(id, partitions);
        while (true) {
            String candidate = UUID.randomUUID().toString();
            if (partition(candidate, partitions) == wanted) {
                return candidate;
            }
        }
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
