package org.wharf.backup.backup;

import org.springframework.stereotype.Component;
import org.wharf.backup.restore.Restores;
import org.wharf.backup.retention.Pins;
import org.wharf.backup.retention.Prunes;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;

/** The backup commands, each with its handler. */
@Component
public class BackupSubscriptions {

    private final BackupRuns runs;
    private final Restores restores;
    private final Prunes prunes;
    private final Pins pins;

    public BackupSubscriptions(BackupRuns runs, Restores restores, Prunes prunes, Pins pins) {
        this.runs = runs;
        this.restores = restores;
        this.prunes = prunes;
        this.pins = pins;
    }

    public Subscriptions build() {
        return Subscriptions.builder()
                .on(Messages.RUN_BACKUP, runs::run)
                .on(Messages.RESTORE_BACKUP, restores::restore)
                .on(Messages.VERIFY_BACKUP, restores::verify)
                .on(Messages.PRUNE_BACKUPS, prunes::prune)
                .on(Messages.PIN_BACKUP, pins::pin)
                .build();
    }
}
