package org.wharf.backup.backup;

import org.springframework.stereotype.Component;
import org.wharf.backup.BackupApplication;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.message.Messages;

/** RunBackup is carried out; the other backup commands are answered "not yet" until they are. */
@Component
public class BackupSubscriptions {

    private final BackupRuns runs;

    public BackupSubscriptions(BackupRuns runs) {
        this.runs = runs;
    }

    public Subscriptions build() {
        return UnsupportedCommands.answer(Subscriptions.builder().on(Messages.RUN_BACKUP, runs::run), Messages.BACKUP_COMMANDS,
                Messages.BACKUP_COMMAND_REJECTED, BackupApplication.SERVICE_NAME).build();
    }
}
