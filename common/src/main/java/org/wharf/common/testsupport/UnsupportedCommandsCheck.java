package org.wharf.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;

import tools.jackson.databind.JsonNode;

/**
 * The test every service that answers commands with CommandRejected shares: each command, sent and
 * then redelivered, gets exactly one answer, caused by it and in its correlation.
 */
public final class UnsupportedCommandsCheck {

    private UnsupportedCommandsCheck() {
    }

    public static void assertEachAnsweredOnce(KafkaTestClient kafka, List<MessageType<JsonNode>> commands,
                                              MessageType<CommandRejected> answerType) {
        String answers = answerType.topic().topicName();
        for (MessageType<JsonNode> command : commands) {
            String key = "key-" + command.type();
            Envelope sent = kafka.send(command, key, WharfJson.MAPPER.readTree("{\"note\":\"from a test\"}"));
            kafka.send(command.topic().topicName(), key, sent); // the same record again

            Envelope answer = KafkaTestClient.envelope(
                    kafka.await(answers, KafkaTestClient.withKey(key), 1, Duration.ofSeconds(30)).get(0));
            CommandRejected rejected = answerType.read(answer);
            assertThat(rejected.commandType()).isEqualTo(command.type());
            assertThat(rejected.reason()).contains("does not carry out");
            assertThat(answer.causationId()).isEqualTo(sent.id());
            assertThat(answer.correlationId()).isEqualTo(sent.correlationId());
            assertThat(kafka.all(answers, KafkaTestClient.withKey(key), Duration.ofSeconds(2)))
                    .as("answers to %s after a redelivery", command.type()).hasSize(1);
        }
    }
}
