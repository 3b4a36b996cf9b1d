package org.wharf.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;


/**
 * A service killed after committing a state change and its outbox record, but before the relay sent
 * it, publishes the record once it is running again; a re-send after a crash between send and
 * "mark sent" carries the same ce_id, so consumers' inboxes see it once.
 */
class OutboxRelayRestartTest {

    private static final String SCHEMA = "relaytest";
    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String ANSWERS = Messages.DEPLOY_COMMAND_REJECTED.topic().topicName();

    @SpringBootApplication
    static class RelayTestApplication {
        @Bean
        Subscriptions subscriptions() {
            return UnsupportedCommands.answer(Subscriptions.builder(), List.of(Messages.DEPLOY, Messages.ROLLBACK),
                    Messages.DEPLOY_COMMAND_REJECTED, "relay-test").build();
        }
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aRecordCommittedButNotSentIsPublishedAfterRestartExactlyOnce() throws Exception {
        JdbcTemplate superuser = new JdbcTemplate(SharedInfrastructure.get().postgres().superuser());
        String key = "app/restart-test";
        Envelope command;
        try (ConfigurableApplicationContext killed = start(false)) {
            command = kafka.send(Messages.DEPLOY, key, new Deploy("app", "env", null, false, null, false));
            awaitUnsent(superuser, key);
        } // closed with the record committed to the outbox, never sent

        assertThat(kafka.all(ANSWERS, KafkaTestClient.withKey(key), Duration.ofSeconds(2))).isEmpty();

        try (ConfigurableApplicationContext restarted = start(true)) {
            List<ConsumerRecord<String, byte[]>> answers = kafka.await(ANSWERS, KafkaTestClient.withKey(key), 1, Duration.ofSeconds(30));
            assertThat(KafkaTestClient.envelope(answers.get(0)).causationId()).isEqualTo(command.id());
            assertThat(kafka.all(ANSWERS, KafkaTestClient.withKey(key), Duration.ofSeconds(2))).hasSize(1);
            // The command's copy, written by this service that consumed it, and the service's answer.
            assertThat(kafka.all("wharf.audit", KafkaTestClient.withKey(key), Duration.ofSeconds(1)))
                    .extracting(r -> KafkaTestClient.envelope(r).id())
                    .containsExactlyInAnyOrder(command.id(), KafkaTestClient.envelope(answers.get(0)).id());

            // A crash between the broker's acknowledgement and "mark sent": the batch goes again...
            superuser.update("update " + SCHEMA + ".outbox set sent_at = null where record_key = ?", key);
            List<ConsumerRecord<String, byte[]>> copies = kafka.await(ANSWERS, KafkaTestClient.withKey(key), 2, Duration.ofSeconds(30));
            // ...as the same record, which an inbox recognises.
            assertThat(copies).extracting(r -> KafkaTestClient.envelope(r).id()).containsOnly(KafkaTestClient.envelope(answers.get(0)).id());
        }
    }

    private static ConfigurableApplicationContext start(boolean relayEnabled) {
        return SharedInfrastructure.startService(RelayTestApplication.class, "relay-test", SCHEMA,
                Map.of("wharf.outbox.relay-enabled", relayEnabled));
    }

    private static void awaitUnsent(JdbcTemplate superuser, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Integer unsent = superuser.queryForObject("select count(*) from " + SCHEMA
                    + ".outbox where record_key = ? and sent_at is null", Integer.class, key);
            if (unsent != null && unsent == 2) { // the answer, and the command's audit copy
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the command was not handled within 30 s");
    }
}
