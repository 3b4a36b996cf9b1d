package org.wharf.backup.backup;

import org.springframework.stereotype.Component;
import org.wharf.backup.BackupApplication;
import org.wharf.backup.restore.Restores;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.message.Messages;

/** RunBackup, RestoreBackup and VerifyBackup are carried out; PruneBackups is answered "not yet" until it is. */
@Component
public class BackupSubscriptions {

    private final BackupRuns runs;
    private final Restores restores;

    public BackupSubscriptions(BackupRuns runs, Restores restores) {
        this.runs = runs;
        this.restores = restores;
    }

    public Subscriptions build() {
        return UnsupportedCommands.answer(Subscriptions.builder()
                        .on(Messages.RUN_BACKUP, runs::run)
                        .on(Messages.RESTORE_BACKUP, restores::restore)
                        .on(Messages.VERIFY_BACKUP, restores::verify), Messages.BACKUP_COMMANDS,
                Messages.BACKUP_COMMAND_REJECTED, BackupApplication.SERVICE_NAME).build();
    }
}
