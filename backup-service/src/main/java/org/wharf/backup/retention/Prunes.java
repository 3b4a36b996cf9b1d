package org.wharf.backup.retention;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wharf.backup.catalog.Catalog;
import org.wharf.backup.target.BackupTargets;
import org.wharf.backup.target.BackupTargets.Target;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupPruned;
import org.wharf.common.message.backup.PruneBackups;
import org.wharf.common.util.Reasons;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * PruneBackups: applies the target's retention to its completed backups, from the catalog. Each object is
 * deleted from the bucket, then its row marked {@code pruned}; a dry run deletes nothing and says what
 * would go. A store that fails midway leaves the rest for the next prune (the failure is retried).
 */
@Component
public class Prunes {

    private static final Logger log = LoggerFactory.getLogger(Prunes.class);

    private final BackupTargets targets;
    private final Catalog catalog;
    private final S3Client s3;
    private final Clock clock;

    public Prunes(BackupTargets targets, Catalog catalog, S3Client s3, Clock clock) {
        this.targets = targets;
        this.catalog = catalog;
        this.s3 = s3;
        this.clock = clock;
    }

    public void prune(Delivery<PruneBackups> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        PruneBackups request = delivery.payload();
        Target target = targets.find(request.target());
        if (target == null) {
            delivery.handleOnce(() -> delivery.emit(Messages.BACKUP_COMMAND_REJECTED, request.target(),
                    new org.wharf.common.message.CommandRejected(Messages.PRUNE_BACKUPS.type(), request.target(),
                            "no backup target named " + request.target())));
            return;
        }
        List<Retention.Backup> completed = catalog.completedNewestFirst(request.target());
        List<Retention.Backup> doomed = target.retention().toDelete(completed, clock.instant());
        List<String> keys = doomed.stream().map(Retention.Backup::key).toList();
        if (!request.dryRun()) {
            for (Retention.Backup backup : doomed) {
                try {
                    s3.deleteObject(b -> b.bucket(targets.getBucket()).key(backup.key()));
                } catch (SdkException e) {
                    throw new IllegalStateException("deleting " + backup.key() + " failed: " + Reasons.of(e), e);
                }
                catalog.pruned(backup.id());
            }
        }
        int kept = completed.size() - (request.dryRun() ? 0 : doomed.size());
        delivery.handleOnce(() -> delivery.emit(Messages.BACKUP_PRUNED, request.target(),
                new BackupPruned(request.target(), request.dryRun(), keys, kept)));
        log.info("prune of {}{}: {} backup(s) {}, {} kept", request.target(), request.dryRun() ? " (dry run)" : "", keys.size(),
                request.dryRun() ? "would go" : "deleted", kept);
    }
}
