package org.wharf.cli.backup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.wharf.backup.catalog.BackupStatus;
import org.wharf.cli.support.EventFold;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.BackupPinned;
import org.wharf.common.message.backup.BackupPruned;
import org.wharf.common.message.backup.BackupStarted;
import org.wharf.common.message.backup.BackupVerified;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The backups, folded from the backup-service's events in topic order: each started one, then its end
 * (completed, failed), its latest verification, pin and prune. What {@code wharf backup list} shows and
 * {@code wharf probe backup} grades.
 */
public final class BackupHistory implements EventFold {

    /** The verdict of a verification that found nothing wrong. */
    public static final String GOOD = "good";

    /** One backup as far as its events go; absent fields are left out of JSON. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Backup(String target, String backupId, String key, Instant startedAt, BackupStatus status, Long size,
                         String sha256, Instant completedAt, String verified, Instant verifiedAt, Boolean pinned, String reason) {

        /** Completed and still in the bucket. */
        @JsonIgnore
        public boolean kept() {
            return status == BackupStatus.COMPLETED;
        }

        /** Its latest verification found it good. */
        @JsonIgnore
        public boolean verifiedGood() {
            return GOOD.equals(verified);
        }
    }

    private final Map<String, Draft> byId = new LinkedHashMap<>();

    public static BackupHistory of(Iterable<Envelope> envelopes) {
        return EventFold.of(new BackupHistory(), envelopes);
    }

    /** Every backup, in the order they were started. */
    public List<Backup> backups() {
        return byId.values().stream().map(Draft::backup).toList();
    }

    /** The newest completed backup still kept, if any. */
    public Optional<Backup> newestKept() {
        return backups().stream().filter(Backup::kept).reduce((older, newer) -> newer);
    }

    @Override
    public void applyReadable(Envelope e) {
        String type = e.type();
        if (Messages.BACKUP_STARTED.is(type)) {
            BackupStarted s = Messages.BACKUP_STARTED.read(e);
            Draft d = draft(s.target(), s.backupId());
            d.key = s.key();
            d.startedAt = s.startedAt();
            d.status = BackupStatus.RUNNING;
        } else if (Messages.BACKUP_COMPLETED.is(type)) {
            BackupCompleted c = Messages.BACKUP_COMPLETED.read(e);
            Draft d = draft(c.target(), c.backupId());
            d.key = d.key != null ? d.key : c.key();
            d.status = BackupStatus.COMPLETED;
            d.size = c.size();
            d.sha256 = c.sha256();
            d.completedAt = e.time();
        } else if (Messages.BACKUP_VERIFIED.is(type)) {
            BackupVerified v = Messages.BACKUP_VERIFIED.read(e);
            Draft d = v.backupId() == null ? null : byId.get(v.backupId());
            if (d != null) { // the latest verdict
                d.verified = v.ok() ? GOOD : v.problem();
                d.verifiedAt = e.time();
            }
        } else if (Messages.BACKUP_PINNED.is(type)) {
            BackupPinned p = Messages.BACKUP_PINNED.read(e);
            Draft d = byId.get(p.backupId());
            if (d != null) {
                d.pinned = p.pinned();
            }
        } else if (Messages.BACKUP_PRUNED.is(type)) {
            BackupPruned p = Messages.BACKUP_PRUNED.read(e);
            if (!p.dryRun()) {
                byId.values().stream().filter(d -> p.deleted().contains(d.key)).forEach(d -> d.status = BackupStatus.PRUNED);
            }
        } else if (Messages.BACKUP_FAILED.is(type)) {
            BackupFailed f = Messages.BACKUP_FAILED.read(e);
            if (f.backupId() != null) {
                Draft d = draft(f.target(), f.backupId());
                d.status = BackupStatus.FAILED;
                d.reason = f.reason();
            }
        }
    }

    private Draft draft(String target, String backupId) {
        return byId.computeIfAbsent(backupId, id -> new Draft(target, id));
    }

    /** A backup while its events come in. */
    private static final class Draft {
        private final String target;
        private final String backupId;
        private String key;
        private Instant startedAt;
        private BackupStatus status;
        private Long size;
        private String sha256;
        private Instant completedAt;
        private String verified;
        private Instant verifiedAt;
        private Boolean pinned;
        private String reason;

        Draft(String target, String backupId) {
            this.target = target;
            this.backupId = backupId;
        }

        Backup backup() {
            return new Backup(target, backupId, key, startedAt, status, size, sha256, completedAt, verified, verifiedAt, pinned, reason);
        }
    }
}
