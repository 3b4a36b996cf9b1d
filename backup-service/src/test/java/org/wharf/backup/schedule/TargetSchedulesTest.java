package org.wharf.backup.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.backup.BackupApplication;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;

/**
 * The targets' schedules reach the scheduler as commands: created once, updated when the configuration
 * changes, deleted when a target no longer asks for one, and nothing at all for a restart with the same
 * configuration.
 */
class TargetSchedulesTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final String S = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void configurationBecomesSchedulesAndOnlyChangesAreSent() {
        Map<String, Object> config = new HashMap<>();
        directory(config, "daily-" + S);
        config.put("wharf.backup.targets.daily-" + S + ".schedule", "@daily");
        config.put("wharf.backup.targets.daily-" + S + ".verify-schedule", "off");
        directory(config, "weekly-" + S); // no backup schedule; verified weekly by default
        directory(config, "once-" + S);
        config.put("wharf.backup.targets.once-" + S + ".schedule", "none");
        config.put("wharf.backup.targets.once-" + S + ".verify-schedule", "off");
        config.put("wharf.backup.targets.once-" + S + ".schedule-zone", "Europe/Paris");

        List<Envelope> first = startAndAwait(config, 3);
        assertThat(first).extracting(Envelope::type).containsOnly(Messages.CREATE_SCHEDULE.type());
        assertThat(first).extracting(Envelope::subject).containsExactlyInAnyOrder("backup-daily-" + S, "verify-weekly-" + S, "backup-once-" + S);
        ScheduleDefinition daily = definition(first, "backup-daily-" + S);
        assertThat(daily.expression()).isEqualTo("@daily");
        assertThat(daily.concurrencyPolicy()).isEqualTo("forbid");
        assertThat(daily.command().topic()).isEqualTo(Topic.BACKUP_COMMANDS.topicName());
        assertThat(daily.command().type()).isEqualTo(Messages.RUN_BACKUP.type());
        assertThat(daily.command().payload().get("target").asText()).isEqualTo("daily-" + S);
        ScheduleDefinition verify = definition(first, "verify-weekly-" + S);
        assertThat(verify.expression()).isEqualTo("@weekly");
        assertThat(verify.command().type()).isEqualTo(Messages.VERIFY_BACKUP.type());
        assertThat(definition(first, "backup-once-" + S).zone()).isEqualTo("Europe/Paris");

        startAndAwait(config, 3); // the same configuration: nothing to send

        config.put("wharf.backup.targets.daily-" + S + ".schedule", "0 30 3 * * *");
        List<Envelope> second = startAndAwait(config, 4);
        List<Envelope> sinceFirst = second.stream().filter(e -> first.stream().noneMatch(f -> f.id().equals(e.id()))).toList();
        assertThat(sinceFirst).as("the restart with the same configuration sent nothing; the changed one, an update")
                .extracting(Envelope::type).containsExactly(Messages.UPDATE_SCHEDULE.type());
        assertThat(sinceFirst.get(0).subject()).isEqualTo("backup-daily-" + S);
        assertThat(Messages.UPDATE_SCHEDULE.read(sinceFirst.get(0)).expression()).isEqualTo("0 30 3 * * *");

        config.keySet().removeIf(key -> key.startsWith("wharf.backup.targets.weekly-" + S + "."));
        List<Envelope> third = startAndAwait(config, 5);
        List<Envelope> sinceSecond = third.stream().filter(e -> second.stream().noneMatch(f -> f.id().equals(e.id()))).toList();
        assertThat(sinceSecond).extracting(Envelope::type).containsExactly(Messages.DELETE_SCHEDULE.type());
        assertThat(sinceSecond.get(0).subject()).isEqualTo("verify-weekly-" + S);
    }

    private static void directory(Map<String, Object> config, String name) {
        config.put("wharf.backup.targets." + name + ".type", "directory");
        config.put("wharf.backup.targets." + name + ".path", "/srv/" + name);
    }

    /** Starts the service, waits until {@code count} of this test's commands are on the topic, stops it. */
    private static List<Envelope> startAndAwait(Map<String, Object> config, int count) {
        try (ConfigurableApplicationContext service = SharedInfrastructure.startService(BackupApplication.class,
                BackupApplication.SERVICE_NAME, "backup", config)) {
            return awaitMine(count);
        }
    }

    private static ScheduleDefinition definition(List<Envelope> records, String name) {
        return Messages.CREATE_SCHEDULE.read(records.stream().filter(e -> e.subject().equals(name)).findFirst().orElseThrow());
    }

    /** The scheduler commands about this test's targets, once there are at least {@code count}. */
    private static List<Envelope> awaitMine(int count) {
        kafka.await(Topic.SCHEDULER_COMMANDS.topicName(), r -> r.key().endsWith(S), count, Duration.ofSeconds(30));
        return kafka.all(Topic.SCHEDULER_COMMANDS.topicName(), r -> r.key().endsWith(S), Duration.ofSeconds(1)).stream()
                .map(KafkaTestClient::envelope).toList();
    }
}
