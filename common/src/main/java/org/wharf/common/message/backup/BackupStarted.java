package org.wharf.common.message.backup;

import java.time.Instant;

import org.wharf.common.message.Required;

/** A backup of {@code target} began, to {@code s3://bucket/key}. */
public record BackupStarted(String target, String backupId, String bucket, String key, Instant startedAt) {

    public BackupStarted {
        Required.text(target, "target");
        Required.text(backupId, "backupId");
    }
}
