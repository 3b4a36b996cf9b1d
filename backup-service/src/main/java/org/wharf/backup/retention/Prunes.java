package org.wharf.backup.retention;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wharf.backup.catalog.Catalog;
import org.wharf.backup.target.BackupTargets;
import org.wharf.backup.target.BackupTargets.Target;
import org.wharf.backup.target.Retention;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.BackupPruned;
import org.wharf.common.message.backup.PruneBackups;
import org.wharf.common.s3.S3Failures;
import org.wharf.common.util.Reasons;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * PruneBackups: applies the target's retention to its completed backups, from the catalog. Each object is
 * deleted from the bucket, then its row marked {@code pruned}; a dry run deletes nothing and says what
 * would go. A store that fails midway leaves the rest for the next prune (the failure is retried). The
 * bucket's listing under the target's prefix (read page by page, however many objects) counts strays.
 */
@Component
public class Prunes {

    private static final Logger log = LoggerFactory.getLogger(Prunes.class);
    private static final int DELETE_BATCH = 1000;

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
                    new CommandRejected(Messages.PRUNE_BACKUPS.type(), request.target(),
                            "no backup target named " + request.target())));
            return;
        }
        List<Retention.Backup> completed = catalog.completedNewestFirst(request.target());
        List<Retention.Backup> doomed = target.retention().toDelete(completed, clock.instant());
        List<String> keys = doomed.stream().map(Retention.Backup::key).toList();
        int strays;
        try {
            if (!request.dryRun()) {
                delete(doomed);
            }
            strays = strays(request.target());
        } catch (SdkException e) {
            if (S3Failures.isPermanent(e)) {
                // The store's final answer (access denied, no such bucket): said, not retried for ever.
                String reason = "prune of " + request.target() + " failed: the backup store refused: " + Reasons.of(e);
                delivery.handleOnce(() -> delivery.emit(Messages.BACKUP_FAILED, request.target(),
                        new BackupFailed(request.target(), null, reason)));
                log.warn(reason);
                return;
            }
            throw new IllegalStateException("the backup store failed: " + Reasons.of(e), e);
        }
        int kept = completed.size() - (request.dryRun() ? 0 : doomed.size());
        delivery.handleOnce(() -> delivery.emit(Messages.BACKUP_PRUNED, request.target(),
                new BackupPruned(request.target(), request.dryRun(), keys, kept, strays)));
        log.info("prune of {}{}: {} backup(s) {}, {} kept, {} stray object(s) left alone", request.target(),
                request.dryRun() ? " (dry run)" : "", keys.size(), request.dryRun() ? "would go" : "deleted", kept, strays);
    }

    /** Deletes the objects a thousand at a time (S3's most per request), each batch then marked pruned. */
    private void delete(List<Retention.Backup> doomed) {
        for (int from = 0; from < doomed.size(); from += DELETE_BATCH) {
            List<Retention.Backup> batch = doomed.subList(from, Math.min(doomed.size(), from + DELETE_BATCH));
            DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(targets.getBucket()).delete(d -> d.quiet(true)
                    .objects(batch.stream().map(backup -> ObjectIdentifier.builder().key(backup.key()).build()).toList())));
            Set<String> failed = new HashSet<>();
            response.errors().forEach(error -> failed.add(error.key()));
            batch.stream().filter(backup -> !failed.contains(backup.key())).forEach(backup -> catalog.pruned(backup.id()));
            if (!failed.isEmpty()) {
                S3Error first = response.errors().get(0);
                throw new IllegalStateException(failed.size() + " object(s) could not be deleted, " + first.key() + ": "
                        + first.code() + " " + first.message());
            }
        }
    }

    /** Objects under the target's prefix that the catalog does not know; the listing is read page by page. */
    private int strays(String target) {
        Set<String> known = catalog.liveKeys(target);
        return (int) s3.listObjectsV2Paginator(b -> b.bucket(targets.getBucket()).prefix("backup/" + target + "/")).contents()
                .stream().filter(object -> !known.contains(object.key())).count();
    }
}
