package org.wharf.checker.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.checker.CheckerApplication;
import org.wharf.checker.deposit.internal.CheckStatus;
import org.wharf.checker.deposit.internal.CheckedDeposits;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.client.CreateClient;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Breaker;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * While S3 is unreachable the checker neither rejects nor verifies: it retries, and its circuit
 * breaker opens. Stopped in the middle of that check and started again with S3 back, it gives
 * exactly one verdict.
 */
class DepositCheckerRestartTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String EVENTS = Topic.CHECKER_EVENTS.topicName();

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aCheckInterruptedWhileS3IsDownEndsWithExactlyOneVerdictAfterRestart() throws Exception {
        String depositId = UUID.randomUUID().toString();
        byte[] archive = DepositCheckerTest.tarGz("README", "restart\n");
        String key = "deposits/restart/" + depositId + "/archive.tar.gz";
        try (S3Client s3 = S3Clients.create(SharedInfrastructure.get().s3())) {
            s3.putObject(b -> b.bucket(LocalInfrastructure.DEPOSITS_BUCKET).key(key), RequestBody.fromBytes(archive));
            s3.putObject(b -> b.bucket(LocalInfrastructure.DEPOSITS_BUCKET).key(key + ".xml"),
                    RequestBody.fromString(DepositCheckerTest.METADATA));
        }
        DepositReceived deposit = new DepositReceived(depositId, "restart-collection", "restart-client",
                "https://restart.example.org/p", new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, key,
                (long) archive.length, DepositCheckerTest.sha256(archive)),
                new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, key + ".xml", null, null), Instant.now());

        try (ConfigurableApplicationContext down = start(Map.of("wharf.s3.endpoint", "http://127.0.0.1:9"))) {
            Envelope client = kafka.send(Messages.CREATE_CLIENT, "restart-client",
                    new CreateClient("restart-client", "restart-collection", "https://restart.example.org/"));
            kafka.await(EVENTS, r -> client.id().equals(KafkaTestClient.envelope(r).causationId()), 1, Duration.ofSeconds(30));
            kafka.send(Messages.DEPOSIT_RECEIVED, depositId, deposit);
            S3Breaker breaker = down.getBean(S3Breaker.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (breaker.state() != CircuitBreaker.State.OPEN && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(1))).isEmpty();
            // Its announcement is kept while no verdict can be given, for a CheckDeposit later if need be.
            assertThat(down.getBean(CheckedDeposits.class).status(depositId)).isEqualTo(CheckStatus.DEPOSITED.word());
        }

        try (ConfigurableApplicationContext restarted = start(Map.of())) {
            List<ConsumerRecord<String, byte[]>> verdicts = kafka.await(EVENTS, KafkaTestClient.withKey(depositId), 1, Duration.ofSeconds(60));
            assertThat(KafkaTestClient.envelope(verdicts.get(0)).type()).isEqualTo(Messages.DEPOSIT_VERIFIED.type());
            assertThat(kafka.all(EVENTS, KafkaTestClient.withKey(depositId), Duration.ofSeconds(3))).hasSize(1);
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> overrides) {
        return SharedInfrastructure.startService(CheckerApplication.class, CheckerApplication.SERVICE_NAME, "checker", overrides);
    }
}
