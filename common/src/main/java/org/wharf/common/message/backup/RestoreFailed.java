package org.wharf.common.message.backup;

import org.wharf.common.message.Required;

/** A restore was refused or failed, and why. */
public record RestoreFailed(String target, String backupId, String database, String reason) {

    public RestoreFailed {
        Required.text(target, "target");
        Required.text(reason, "reason");
    }
}
