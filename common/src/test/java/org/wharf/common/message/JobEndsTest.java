package org.wharf.common.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wharf.common.topic.Topic;

/**
 * Which events end a job is declared once, in the catalog, for every command: a command added without
 * its ends, or an end that is not its own service's event, fails here (the scheduler's concurrency
 * {@code forbid} would otherwise wait forever for an end it does not know).
 */
class JobEndsTest {

    @Test
    void everyCommandDeclaresItsEndsAmongItsOwnServicesEvents() {
        List<MessageType<?>> commands = Messages.commands();
        assertThat(commands).contains(Messages.RUN_BACKUP, Messages.VERIFY_BACKUP, Messages.LOAD_DEPOSIT,
                Messages.CREATE_SCHEDULE, Messages.DEPLOY);
        for (MessageType<?> command : commands) {
            assertThat(Messages.jobEnds(command.type())).as("the ends of %s", command.type()).isNotEmpty();
            String events = serviceOf(command.topic()) + ".events";
            for (MessageType<?> end : Messages.jobEnds(command.type())) {
                assertThat(end.topic().kind()).as("%s ends %s", end.type(), command.type()).isEqualTo(Topic.Kind.EVENTS);
                assertThat(end.topic().topicName()).as("%s ends %s", end.type(), command.type()).isEqualTo(events);
                assertThat(Messages.all()).contains(end);
            }
            assertThat(Messages.jobEnds(command.type()).stream().<Class<?>>map(MessageType::payloadClass))
                    .as("a refusal ends every command of %s", command.type()).contains(CommandRejected.class);
        }
    }

    @Test
    void theEndsTheSchedulerMissedAreDeclared() {
        assertThat(Messages.jobEnds(Messages.VERIFY_BACKUP.type())).containsExactlyInAnyOrder(Messages.BACKUP_VERIFIED,
                Messages.BACKUP_COMMAND_REJECTED);
        assertThat(Messages.jobEnds(Messages.PRUNE_BACKUPS.type())).contains(Messages.BACKUP_PRUNED);
        assertThat(Messages.commandsEndedBy(Messages.BACKUP_VERIFIED.type())).containsExactly(Messages.VERIFY_BACKUP.type());
        assertThat(Messages.commandsEndedBy(Messages.BACKUP_STARTED.type())).as("a step ends nothing").isEmpty();
        assertThat(Messages.commandsEndedBy(Messages.BACKUP_COMMAND_REJECTED.type())).contains(Messages.RUN_BACKUP.type(),
                Messages.VERIFY_BACKUP.type(), Messages.PIN_BACKUP.type());
    }

    /** {@code wharf.<service>.commands} → {@code wharf.<service>}. */
    private static String serviceOf(Topic commands) {
        String name = commands.topicName();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
