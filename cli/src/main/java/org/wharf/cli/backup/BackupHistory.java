package org.wharf.cli.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.UnreadableRecordException;
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
public final class BackupHistory {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String PRUNED = "pruned";
    /** The verdict of a verification that found nothing wrong. */
    public static final String GOOD = "good";

    /** One backup as far as its events go; absent fields are left out of JSON. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Backup(String target, String backupId, String key, Instant startedAt, String status, Long size,
                         String sha256, Instant completedAt, String verified, Instant verifiedAt, Boolean pinned, String reason) {

        /** Completed and still in the bucket. */
        @JsonIgnore
        public boolean kept() {
            return COMPLETED.equals(status);
        }

        /** Its latest verification found it good. */
        @JsonIgnore
        public boolean verifiedGood() {
            return GOOD.equals(verified);
        }
    }

    private final Map<String, Backup> byId = new LinkedHashMap<>();

    public static BackupHistory of(Iterable<Envelope> envelopes) {
        BackupHistory history = new BackupHistory();
        for (Envelope e : envelopes) {
            try {
                history.apply(e);
            } catch (UnreadableRecordException unreadable) {
                // One bad record must not hide the others: it is left out, as a type this CLI does not know.
            }
        }
        return history;
    }

    /** Every backup, in the order they were started. */
    public List<Backup> backups() {
        return new ArrayList<>(byId.values());
    }

    /** The newest completed backup still kept, if any. */
    public Optional<Backup> newestKept() {
        return byId.values().stream().filter(Backup::kept).reduce((older, newer) -> newer);
    }

    private void apply(Envelope e) {
        String type = e.type();
        if (type.equals(Messages.BACKUP_STARTED.type())) {
            BackupStarted s = Messages.BACKUP_STARTED.read(e);
            byId.put(s.backupId(), new Backup(s.target(), s.backupId(), s.key(), s.startedAt(), RUNNING,
                    null, null, null, null, null, null, null));
        } else if (type.equals(Messages.BACKUP_COMPLETED.type())) {
            BackupCompleted c = Messages.BACKUP_COMPLETED.read(e);
            Backup b = byId.getOrDefault(c.backupId(), blank(c.target(), c.backupId(), c.key()));
            byId.put(c.backupId(), new Backup(b.target(), b.backupId(), b.key(), b.startedAt(), COMPLETED, c.size(), c.sha256(),
                    e.time(), b.verified(), b.verifiedAt(), b.pinned(), b.reason()));
        } else if (type.equals(Messages.BACKUP_VERIFIED.type())) {
            BackupVerified v = Messages.BACKUP_VERIFIED.read(e);
            Backup b = v.backupId() == null ? null : byId.get(v.backupId());
            if (b != null) { // the latest verdict
                byId.put(b.backupId(), new Backup(b.target(), b.backupId(), b.key(), b.startedAt(), b.status(), b.size(), b.sha256(),
                        b.completedAt(), v.ok() ? GOOD : v.problem(), e.time(), b.pinned(), b.reason()));
            }
        } else if (type.equals(Messages.BACKUP_PINNED.type())) {
            BackupPinned p = Messages.BACKUP_PINNED.read(e);
            Backup b = byId.get(p.backupId());
            if (b != null) {
                byId.put(b.backupId(), new Backup(b.target(), b.backupId(), b.key(), b.startedAt(), b.status(), b.size(), b.sha256(),
                        b.completedAt(), b.verified(), b.verifiedAt(), p.pinned(), b.reason()));
            }
        } else if (type.equals(Messages.BACKUP_PRUNED.type())) {
            BackupPruned p = Messages.BACKUP_PRUNED.read(e);
            if (!p.dryRun()) {
                byId.replaceAll((id, b) -> p.deleted().contains(b.key()) ? new Backup(b.target(), b.backupId(), b.key(), b.startedAt(),
                        PRUNED, b.size(), b.sha256(), b.completedAt(), b.verified(), b.verifiedAt(), b.pinned(), b.reason()) : b);
            }
        } else if (type.equals(Messages.BACKUP_FAILED.type())) {
            BackupFailed f = Messages.BACKUP_FAILED.read(e);
            if (f.backupId() != null) {
                Backup b = byId.getOrDefault(f.backupId(), blank(f.target(), f.backupId(), null));
                byId.put(f.backupId(), new Backup(b.target(), b.backupId(), b.key(), b.startedAt(), FAILED, b.size(), b.sha256(),
                        b.completedAt(), b.verified(), b.verifiedAt(), b.pinned(), f.reason()));
            }
        }
    }

    private static Backup blank(String target, String backupId, String key) {
        return new Backup(target, backupId, key, null, null, null, null, null, null, null, null, null);
    }
}
