package org.wharf.common.message.backup;

import org.wharf.common.message.Required;

/** A backup did not complete, and why (pg_dump's last words, secrets removed); nothing of it is left in the bucket. */
public record BackupFailed(String target, String backupId, String reason) {

    public BackupFailed {
        Required.text(target, "target");
        Required.text(reason, "reason");
    }
}
