package org.wharf.common.message.backup;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/** Check a backup (by id or key, else the latest completed): its sha256, and that it restores. */
public record VerifyBackup(String target, String backup) implements Keyed {

    @Override
    public String aggregateKey() {
        return target;
    }


    public VerifyBackup {
        Required.text(target, "target");
    }
}
