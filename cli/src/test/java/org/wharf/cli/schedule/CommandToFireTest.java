package org.wharf.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wharf.cli.support.UsageException;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.schedule.ScheduledCommand;

class CommandToFireTest {

    static CommandToFire typed(String type, String payload, String topic, String key) {
        return new CommandToFire(null, null, type, payload, topic, key);
    }

    @Test
    void backupFiresRunBackupOnTheBackupCommandsKeyedByTarget() {
        ScheduledCommand command = new CommandToFire("db", null, null, null, null, null).toScheduledCommand("nightly");
        assertThat(command.topic()).isEqualTo("wharf.backup.commands");
        assertThat(command.type()).isEqualTo("org.wharf.backup.run-backup.v1");
        assertThat(command.key()).isEqualTo("db");
        assertThat(WharfJson.MAPPER.writeValueAsString(command.payload())).isEqualTo("{\"target\":\"db\"}");
    }

    @Test
    void deployFiresDeployOnTheDeployCommandsKeyedByAppSlashEnv() {
        ScheduledCommand command = new CommandToFire(null, List.of("portal", "prod"), null, null, null, null)
                .toScheduledCommand("weekly");
        assertThat(command.topic()).isEqualTo("wharf.deploy.commands");
        assertThat(command.type()).isEqualTo("org.wharf.deploy.deploy.v1");
        assertThat(command.key()).isEqualTo("portal/prod");
        Deploy fired = WharfJson.MAPPER.treeToValue(command.payload(), Deploy.class);
        assertThat(fired).isEqualTo(new Deploy("portal", "prod", null, false, List.of(), false));
    }

    @Test
    void aCatalogTypeGoesToItsTopicWithTheScheduleNameAsDefaultKey() {
        ScheduledCommand command = typed("org.wharf.deposit.reschedule.v1", "{\"depositId\":\"d1\"}", null, null)
                .toScheduledCommand("again");
        assertThat(command.topic()).isEqualTo("wharf.loader.commands");
        assertThat(command.key()).isEqualTo("again");
        assertThat(command.payload().get("depositId").asString()).isEqualTo("d1");

        assertThat(typed("org.wharf.deposit.reschedule.v1", "{\"depositId\":\"d1\"}", null, "d1")
                .toScheduledCommand("again").key()).isEqualTo("d1");
    }

    @Test
    void aTypeInACatalogListIsFoundToo() {
        assertThat(typed("org.wharf.deploy.rollback.v1", "{\"application\":\"app\",\"environment\":\"env\"}", null, null)
                .toScheduledCommand("rollback").topic()).isEqualTo("wharf.deploy.commands");
        // A typed command whose optional flag is left out still fits (a scheduled prune, say).
        assertThat(typed("org.wharf.backup.prune-backups.v1", "{\"target\":\"db\"}", null, null)
                .toScheduledCommand("prune").topic()).isEqualTo("wharf.backup.commands");
    }

    @Test
    void aTypeUnknownToTheCatalogNeedsACommandsTopic() {
        assertThatThrownBy(() -> typed("org.example.thing.v1", "{}", null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--type org.example.thing.v1 is not in the message catalog: say where it goes with --topic");
        assertThat(typed("org.example.thing.v1", "{}", "wharf.deploy.commands", null).toScheduledCommand("n").topic())
                .isEqualTo("wharf.deploy.commands");
        assertThatThrownBy(() -> typed("org.example.thing.v1", "{}", "wharf.deploy.events", null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--topic wharf.deploy.events: not a commands topic");
    }

    @Test
    void aCatalogTypeKeepsItsTopicAndMustBeACommand() {
        assertThatThrownBy(() -> typed("org.wharf.deposit.reschedule.v1", "{\"depositId\":\"d\"}", "wharf.deploy.commands", null)
                .toScheduledCommand("n"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--topic wharf.deploy.commands: org.wharf.deposit.reschedule.v1 goes to wharf.loader.commands");
        assertThatThrownBy(() -> typed("org.wharf.deposit.loaded.v1", "{}", null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessageContaining("not a command");
    }

    @Test
    void thePayloadMustBeAJsonObjectThatFitsACatalogType() {
        assertThatThrownBy(() -> typed("org.wharf.backup.run-backup.v1", "[1, 2]", null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessage("--payload must be a JSON object, not an array");
        assertThatThrownBy(() -> typed("org.wharf.backup.run-backup.v1", "\"db\"", null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessage("--payload must be a JSON object, not a string");
        assertThatThrownBy(() -> typed("org.wharf.backup.run-backup.v1", "{target", null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--payload is not JSON: ");
        assertThatThrownBy(() -> typed("org.wharf.deposit.reschedule.v1", "{}", null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--payload does not fit org.wharf.deposit.reschedule.v1: ")
                .hasMessageContaining("depositId");
        assertThatThrownBy(() -> typed("org.wharf.backup.run-backup.v1", null, null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessageContaining("needs --payload");
    }

    @Test
    void exactlyOneThingToFire() {
        assertThatThrownBy(() -> new CommandToFire(null, null, null, null, null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("say what to fire: exactly one of");
        assertThatThrownBy(() -> new CommandToFire("db", List.of("a", "b"), null, null, null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("say what to fire: exactly one of");
        assertThatThrownBy(() -> new CommandToFire("db", null, null, "{}", null, null).toScheduledCommand("n"))
                .isInstanceOf(UsageException.class).hasMessage("--payload, --topic and --key go with --type only");
    }
}
