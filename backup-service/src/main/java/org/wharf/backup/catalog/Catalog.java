package org.wharf.backup.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.wharf.backup.target.Retention;

/** The catalog of backups (the {@code backup} table), which backups write and restores and verifications read. */
@Repository
public class Catalog {

    public record Entry(String id, String target, String bucket, String key, BackupStatus status, String uploadId,
                        Instant startedAt) {
    }

    private final JdbcTemplate jdbc;

    public Catalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void started(String id, String target, String commandId, String bucket, String key, String correlationId,
                        Instant startedAt) {
        jdbc.update("insert into backup (id, target, command_id, bucket, key, status, correlation_id, started_at) "
                + "values (?, ?, ?, ?, ?, 'running', ?, ?)", id, target, commandId, bucket, key, correlationId,
                Timestamp.from(startedAt));
    }

    public Entry byCommand(String commandId) {
        return jdbc.query("select id, target, bucket, key, status, upload_id, started_at from backup where command_id = ?",
                rs -> rs.next() ? new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        BackupStatus.of(rs.getString(5)), rs.getString(6), rs.getTimestamp(7).toInstant()) : null, commandId);
    }

    /** A completed backup of {@code target}: the one whose id or key is {@code idOrKey}, else the latest. */
    public Completed completed(String target, String idOrKey) {
        String sql = "select id, key, bucket, sha256, size from backup where target = ? and status = 'completed' "
                + (idOrKey == null ? "" : "and (id = ? or key = ?) ") + "order by started_at desc limit 1";
        Object[] args = idOrKey == null ? new Object[] {target} : new Object[] {target, idOrKey, idOrKey};
        return jdbc.query(sql, rs -> rs.next() ? new Completed(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getLong(5)) : null, args);
    }

    public record Completed(String id, String key, String bucket, String sha256, long size) {
    }

    /** Whether a backup of the target is under way (a restore waits for it). */
    public boolean running(String target) {
        Integer n = jdbc.queryForObject("select count(*) from backup where target = ? and status = 'running'", Integer.class, target);
        return n != null && n > 0;
    }

    /** What a verification found: null problem when the backup checks out; the restored tables' row counts. */
    public void verified(String id, String problem, String rowCountsJson) {
        jdbc.update("update backup set verified_at = now(), verify_problem = ?, verified_row_counts = ?::jsonb where id = ?",
                problem, rowCountsJson, id);
    }

    /** The target's completed backups, newest first, as retention sees them. */
    public List<Retention.Backup> completedNewestFirst(String target) {
        return jdbc.query("select id, key, started_at, pinned from backup where target = ? and status = 'completed' "
                + "order by started_at desc, id desc", (rs, n) -> new Retention.Backup(rs.getString(1),
                rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getBoolean(4)), target);
    }

    /** The keys of the target's backups whose objects are, or are being, in the bucket. */
    public Set<String> liveKeys(String target) {
        return new HashSet<>(jdbc.queryForList(
                "select key from backup where target = ? and status in ('completed', 'running')", String.class, target));
    }

    /** The keys of every running backup: their uploads are theirs, open or not. */
    public Set<String> runningKeys() {
        return new HashSet<>(jdbc.queryForList("select key from backup where status = 'running'", String.class));
    }

    public boolean keyTaken(String key) {
        Integer n = jdbc.queryForObject("select count(*) from backup where key = ?", Integer.class, key);
        return n != null && n > 0;
    }

    /** Pins (or unpins) a completed backup of the target by id or key; the backup, or null when there is none. */
    public Completed pin(String target, String idOrKey, boolean pinned) {
        Completed backup = completed(target, idOrKey);
        if (backup != null) {
            jdbc.update("update backup set pinned = ? where id = ?", pinned, backup.id());
        }
        return backup;
    }

    public void pruned(String id) {
        jdbc.update("update backup set status = 'pruned' where id = ? and status = 'completed'", id);
    }

    public void uploading(String id, String uploadId) {
        jdbc.update("update backup set upload_id = ? where id = ?", uploadId, id);
    }

    /** True if the backup was running (and is now completed). */
    public boolean completed(String id, long size, String sha256, String tool, long durationMillis) {
        return jdbc.update("update backup set status = 'completed', size = ?, sha256 = ?, tool = ?, duration_ms = ?, "
                + "upload_id = null, finished_at = now() where id = ? and status = 'running'", size, sha256, tool, durationMillis, id) == 1;
    }

    public boolean failed(String id, String failure) {
        return jdbc.update("update backup set status = 'failed', failure = ?, finished_at = now() where id = ? and status = 'running'",
                failure, id) == 1;
    }
}
