package org.wharf.common.message.backup;

import org.wharf.common.message.Required;

/**
 * A backup is in the bucket, whole: its size, the sha256 of its bytes, how long it took, and the tool
 * that made it ({@code pg_dump (PostgreSQL) 15.18}, {@code tar}).
 */
public record BackupCompleted(String target, String backupId, String bucket, String key, long size, String sha256,
                              long durationMillis, String tool) {

    public BackupCompleted {
        Required.text(target, "target");
        Required.text(backupId, "backupId");
        Required.text(key, "key");
        Required.text(sha256, "sha256");
    }
}
