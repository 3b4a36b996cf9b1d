package org.wharf.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

/** What the backup-service answered, read from its events topic, for the tests. */
public final class BackupEvents {

    private BackupEvents() {
    }

    /** The answer to {@code command}, which must be of {@code expectedType}. */
    public static Envelope answerTo(KafkaTestClient kafka, Envelope command, String expectedType) {
        List<ConsumerRecord<String, byte[]>> found = kafka.await(Topic.BACKUP_EVENTS.topicName(),
                r -> command.id().equals(KafkaTestClient.envelope(r).causationId()), 1, Duration.ofMinutes(2));
        Envelope answer = KafkaTestClient.envelope(found.get(0));
        assertThat(answer.type()).as(new String(answer.data(), StandardCharsets.UTF_8)).isEqualTo(expectedType);
        return answer;
    }

    /** The records the backup-service wrote in answer to {@code run}, up to the BackupCompleted or BackupFailed that ends it. */
    public static List<Envelope> awaitEnd(KafkaTestClient kafka, Envelope run) {
        kafka.await(Topic.BACKUP_EVENTS.topicName(), r -> run.correlationId().equals(KafkaTestClient.envelope(r).correlationId())
                && List.of(Messages.BACKUP_COMPLETED.type(), Messages.BACKUP_FAILED.type()).contains(KafkaTestClient.envelope(r).type()),
                1, Duration.ofMinutes(2));
        return kafka.all(Topic.BACKUP_EVENTS.topicName(), r -> run.correlationId().equals(KafkaTestClient.envelope(r).correlationId()),
                Duration.ofMillis(200)).stream().map(KafkaTestClient::envelope).toList();
    }
}
