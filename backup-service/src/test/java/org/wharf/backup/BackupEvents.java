package org.wharf.backup;

import java.time.Duration;
import java.util.List;

import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

/** A backup run's events, read from the backup-service's events topic, for the tests (a command's one answer: {@code Scenario}). */
public final class BackupEvents {

    private BackupEvents() {
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
