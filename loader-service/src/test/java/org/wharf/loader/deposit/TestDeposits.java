package org.wharf.loader.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Uploads;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Puts test archives where the checker would have left them, and checks the archive's bookkeeping. */
final class TestDeposits {

    private TestDeposits() {
    }

    static DepositVerified verified(S3Client s3, String depositId, byte[] archive, String originUrl, String version) {
        String key = key(depositId);
        s3.putObject(b -> b.bucket(LocalInfrastructure.DEPOSITS_BUCKET).key(key), RequestBody.fromBytes(archive));
        return verified(depositId, key, archive.length, sha256(new ByteArrayInputStream(archive)), originUrl, version);
    }

    static DepositVerified verified(S3Client s3, String depositId, Path archive, String originUrl, String version)
            throws IOException {
        String key = key(depositId);
        S3Uploads.putFile(s3, LocalInfrastructure.DEPOSITS_BUCKET, key, archive, S3Uploads.DEFAULT_PART_SIZE);
        try (InputStream in = Files.newInputStream(archive)) {
            return verified(depositId, key, Files.size(archive), sha256(in), originUrl, version);
        }
    }

    /** The sha256 the checker would have verified. */
    static String sha256(InputStream in) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(String depositId) {
        return "deposits/test/" + depositId + "/archive";
    }

    static DepositVerified verified(String depositId, String key, long size, String sha256, String originUrl,
                                    String version) {
        return new DepositVerified(depositId, "test-collection", "test-client", originUrl,
                new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, key, size, sha256),
                new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, key + ".xml", null, null), null,
                version, "2017-10-07T15:17:08Z", null, Instant.now());
    }

    /**
     * Plays the scheduler's part in a reschedule: takes the ScheduleOnce the loader asked for and fires
     * its command as the scheduler would (its correlation kept). No scheduler runs in the loader's tests.
     */
    static void fireScheduleOnce(KafkaTestClient kafka, String depositId) {
        List<ConsumerRecord<String, byte[]>> asked = kafka.await(Topic.SCHEDULER_COMMANDS.topicName(),
                r -> Messages.SCHEDULE_ONCE.is(KafkaTestClient.envelope(r))
                        && depositId.equals(Messages.SCHEDULE_ONCE.read(KafkaTestClient.envelope(r)).command().key()),
                1, Duration.ofSeconds(30));
        Envelope once = KafkaTestClient.envelope(asked.get(asked.size() - 1));
        ScheduledCommand command = Messages.SCHEDULE_ONCE.read(once).command();
        Envelope fired = new Envelope(Envelope.newId(), "/test/scheduler", command.type(), Instant.now(), command.key(),
                once.correlationId(), null, "scheduler", null, WharfJson.MAPPER.writeValueAsBytes(command.payload()));
        kafka.send(command.topic(), command.key(), fired);
    }

    /** Every key of the archive bucket, however many pages the listing takes. */
    static Set<String> bucketKeys(S3Client s3) {
        Set<String> keys = new HashSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(LocalInfrastructure.ARCHIVE_BUCKET).maxKeys(500))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /**
     * The bucket holds exactly the objects the schema records as stored: nothing orphaned, nothing
     * half-written, nothing the schema promises and the bucket lacks.
     */
    static void assertBucketMatchesSchema(S3Client s3, JdbcTemplate jdbc) {
        List<String> unfinished = jdbc.queryForList("select key from archive_object where state <> 'stored'", String.class);
        assertThat(unfinished).as("objects claimed but never stored").isEmpty();
        Set<String> stored = new HashSet<>(jdbc.queryForList("select key from archive_object", String.class));
        assertThat(bucketKeys(s3)).as("the archive bucket's objects").containsExactlyInAnyOrderElementsOf(stored);
    }
}
