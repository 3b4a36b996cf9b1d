package org.wharf.backup.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wharf.backup.catalog.Catalog;
import org.wharf.backup.target.BackupTargets;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupPinned;
import org.wharf.common.message.backup.PinBackup;

/** PinBackup: a pinned backup is one retention never deletes (Barman's keep), until it is unpinned. */
@Component
public class Pins {

    private static final Logger log = LoggerFactory.getLogger(Pins.class);

    private final BackupTargets targets;
    private final Catalog catalog;
    public Pins(BackupTargets targets, Catalog catalog) {
        this.targets = targets;
        this.catalog = catalog;
    }

    public void pin(Delivery<PinBackup> delivery) {
        PinBackup request = delivery.payload();
        boolean pinned = !request.unpin();
        delivery.handleOnce(() -> {
            boolean known = targets.find(request.target()) != null;
            Catalog.Completed backup = known ? catalog.pin(request.target(), request.backup(), pinned) : null;
            if (backup == null) {
                String reason = !known ? "no backup target named " + request.target()
                        : "no completed backup of " + request.target() + " with id or key " + request.backup();
                delivery.emit(Messages.BACKUP_COMMAND_REJECTED, request.target(),
                        new CommandRejected(Messages.PIN_BACKUP.type(), request.target(), reason));
                return;
            }
            delivery.emit(Messages.BACKUP_PINNED, request.target(), new BackupPinned(request.target(), backup.id(), backup.key(), pinned));
            log.info("backup {} of {} {}", backup.key(), request.target(), pinned ? "pinned" : "unpinned");
        });
    }
}
