package org.wharf.common.message.backup;

import org.wharf.common.message.Required;

/** The backup is now pinned (retention never deletes it), or no longer. */
public record BackupPinned(String target, String backupId, String key, boolean pinned) {

    public BackupPinned {
        Required.text(target, "target");
        Required.text(backupId, "backupId");
    }
}
