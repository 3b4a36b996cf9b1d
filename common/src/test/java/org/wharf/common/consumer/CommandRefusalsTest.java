package org.wharf.common.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;

/**
 * A command that must not run at all (no record key, deadline passed, a newer version of a type the
 * service handles) gets one command-rejected with the reason, and its handler never runs; a
 * redelivery answers nothing twice; an event of an unknown type is skipped silently.
 */
class CommandRefusalsTest {

    private static final String COMMANDS = "wharf.deploy.commands";
    private static final String ANSWERS = Messages.DEPLOY_COMMAND_REJECTED.topic().topicName();
    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static ConfigurableApplicationContext service;

    @SpringBootApplication
    static class RefusalsTestApplication {
        /** The handler's one effect is its own answer ("does not carry out"): a refused command never gets it. */
        @Bean
        Subscriptions subscriptions() {
            return UnsupportedCommands.answer(Subscriptions.builder(), List.of(Messages.DEPLOY, Messages.ROLLBACK),
                    Messages.DEPLOY_COMMAND_REJECTED, "refusals-test").build();
        }
    }

    @BeforeAll
    static void start() {
        service = SharedInfrastructure.startService(RefusalsTestApplication.class, "refusals-test", "refusalstest", Map.of());
    }

    @AfterAll
    static void stop() {
        service.close();
        kafka.close();
    }

    @Test
    void aCommandWithoutRecordKeyIsRejectedOnce() {
        Envelope command = command("org.wharf.deploy.deploy.v1", null);
        kafka.send(COMMANDS, null, command);
        kafka.send(COMMANDS, null, command); // a redelivery

        assertOneAnswer(command, "the command has no record key");
    }

    @Test
    void aCommandPastItsDeadlineIsRejectedAndNotRun() {
        Instant deadline = Instant.now().minusSeconds(60);
        Envelope command = command("org.wharf.deploy.deploy.v1", deadline);
        kafka.send(COMMANDS, "app/late", command);
        kafka.send(COMMANDS, "app/late", command);

        assertOneAnswer(command, "deadline passed (" + deadline + ")");
    }

    @Test
    void aNewerVersionOfAKnownCommandIsRejected() {
        Envelope command = command("org.wharf.deploy.deploy.v2", null);
        kafka.send(COMMANDS, "app/v2", command);

        assertOneAnswer(command, "unsupported version org.wharf.deploy.deploy.v2 (this service handles org.wharf.deploy.deploy.v1)");
    }

    @Test
    void aCommandWithinItsDeadlineRunsAndAnUnknownEventIsSkippedSilently() {
        Envelope unknownEvent = Envelope.first("/wharf/test", "org.wharf.deploy.something-new.v1", "app/ok", "test",
                "{\"application\":\"app\",\"environment\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        kafka.send(ANSWERS, "app/ok", unknownEvent);
        Envelope command = command("org.wharf.deploy.deploy.v1", Instant.now().plusSeconds(600));
        kafka.send(COMMANDS, "app/ok", command);

        assertOneAnswer(command, "refusals-test does not carry out org.wharf.deploy.deploy.v1 yet");
        assertThat(kafka.all(ANSWERS, causedBy(unknownEvent), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void theServiceThatConsumesACommandWritesItsAuditCopyOnce() {
        Envelope command = command("org.wharf.deploy.deploy.v1", Instant.now().plusSeconds(600));
        kafka.send(COMMANDS, "app/ok", command);
        kafka.send(COMMANDS, "app/ok", command); // a redelivery

        List<ConsumerRecord<String, byte[]>> answers = kafka.await(ANSWERS, causedBy(command), 1, Duration.ofSeconds(30));
        String answerId = KafkaTestClient.envelope(answers.get(0)).id();
        String audit = Topic.AUDIT.topicName();
        kafka.await(audit, record -> answerId.equals(KafkaTestClient.envelope(record).id()), 1, Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> copies = kafka.all(audit,
                record -> command.id().equals(KafkaTestClient.envelope(record).id()), Duration.ofSeconds(2));
        assertThat(copies).as("the command's copy on the audit trail, made by its consumer").hasSize(1);
        assertThat(copies.get(0).key()).isEqualTo("app/ok");
        assertThat(KafkaTestClient.envelope(copies.get(0)).source()).as("the sender's, as sent").isEqualTo("/wharf/test");
        assertThat(kafka.all(audit, record -> answerId.equals(KafkaTestClient.envelope(record).id()), Duration.ofSeconds(1)))
                .as("the service's own answer, once").hasSize(1);
    }

    private static Envelope command(String type, Instant deadline) {
        return Envelope.first("/wharf/test", type, "app", "test", "{\"application\":\"app\",\"environment\":\"ok\"}".getBytes(StandardCharsets.UTF_8)).withDeadline(deadline);
    }

    private static void assertOneAnswer(Envelope command, String reason) {
        List<ConsumerRecord<String, byte[]>> answers = kafka.await(ANSWERS, causedBy(command), 1, Duration.ofSeconds(30));
        CommandRejected rejected = Messages.DEPLOY_COMMAND_REJECTED.read(KafkaTestClient.envelope(answers.get(0)));
        assertThat(rejected.reason()).isEqualTo(reason);
        assertThat(rejected.commandType()).isEqualTo(command.type());
        assertThat(KafkaTestClient.envelope(answers.get(0)).correlationId()).isEqualTo(command.correlationId());
        assertThat(kafka.all(ANSWERS, causedBy(command), Duration.ofSeconds(3))).hasSize(1);
    }

    private static Predicate<ConsumerRecord<String, byte[]>> causedBy(Envelope cause) {
        return record -> cause.id().equals(KafkaTestClient.envelope(record).causationId());
    }
}
