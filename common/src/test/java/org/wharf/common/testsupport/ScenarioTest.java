package org.wharf.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupPinned;
import org.wharf.common.message.backup.PinBackup;
import org.wharf.common.topic.Topic;

/** Scenario against the shared broker; the test answers as the backup-service would. */
class ScenarioTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private final Scenario scenario = new Scenario(kafka);

    @BeforeAll
    static void topics() throws Exception {
        // common's own tests start no service, which would create the catalog's topics.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Stream.of(Topic.BACKUP_COMMANDS, Topic.BACKUP_EVENTS).map(Topic::topicName)
                    .filter(name -> !existing.contains(name)).map(name -> new NewTopic(name, 1, (short) 1)).toList();
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void awaitsTheAnswerOfTheCommandsCorrelationThatMatchesAndReadsItsPayload() {
        String target = "scenario-" + UUID.randomUUID();
        Scenario.Sent sent = scenario.send(Messages.PIN_BACKUP, target, new PinBackup(target, "b1", false));
        answer(sent.command(), new BackupPinned(target, "b0", "key-0", false)); // not the one awaited
        answer(sent.command(), new BackupPinned(target, "b1", "key-1", true));

        assertThat(sent.await(Messages.BACKUP_PINNED, BackupPinned::pinned, Duration.ofSeconds(30)).key()).isEqualTo("key-1");
        assertThat(sent.answer(Messages.BACKUP_PINNED).key()).as("the first answer it caused").isEqualTo("key-0");
        assertThatThrownBy(() -> sent.await(Messages.BACKUP_PINNED, p -> p.key().equals("key-9"), Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no org.wharf.backup.backup-pinned.v1 matching");
        assertThatThrownBy(() -> sent.answer(Messages.BACKUP_COMMAND_REJECTED))
                .isInstanceOf(AssertionError.class).hasMessageContaining("got org.wharf.backup.backup-pinned.v1");
    }

    private static void answer(Envelope command, BackupPinned pinned) {
        Envelope answer = Envelope.causedBy(command, "/wharf/backup-service", Messages.BACKUP_PINNED.type(), pinned.target(),
                Messages.BACKUP_PINNED.write(pinned));
        kafka.send(Messages.BACKUP_PINNED.topic().topicName(), pinned.target(), answer);
    }
}
