package org.wharf.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wharf.scheduler.SchedulerApplication;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;

import tools.jackson.databind.JsonNode;

@SpringBootTest(classes = SchedulerApplication.class, properties = "wharf.service-name=scheduler-service")
class SchedulerCommandsTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.register(registry, "scheduler");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void everyCommandIsAnsweredOnceEvenWhenRedelivered() {
        for (var command : Messages.SCHEDULER_COMMANDS) {
            String key = "key-" + command.type();
            JsonNode payload = WharfJson.MAPPER.readTree("{\"note\":\"from a test\"}");
            Envelope sent = kafka.send(command, key, payload);
            kafka.send(command.topic().topicName(), key, sent); // the same record again

            var answers = kafka.await(Messages.SCHEDULER_COMMAND_REJECTED.topic().topicName(),
                    r -> key.equals(r.key()), 1, Duration.ofSeconds(30));
            Envelope answer = KafkaTestClient.envelope(answers.get(0));
            CommandRejected rejected = Messages.SCHEDULER_COMMAND_REJECTED.read(answer);
            assertThat(rejected.commandType()).isEqualTo(command.type());
            assertThat(rejected.reason()).contains("does not carry out");
            assertThat(answer.causationId()).isEqualTo(sent.id());
            assertThat(answer.correlationId()).isEqualTo(sent.correlationId());
            assertThat(kafka.all(Messages.SCHEDULER_COMMAND_REJECTED.topic().topicName(), r -> key.equals(r.key()), Duration.ofSeconds(2)))
                    .as("answers to %s after a redelivery", command.type()).hasSize(1);
        }
    }
}
