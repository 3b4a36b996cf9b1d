package org.wharf.common.message.backup;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/** Back up a target now. The target is named; where it is and how to reach it is the backup-service's configuration. */
public record RunBackup(String target) implements Keyed {

    @Override
    public String aggregateKey() {
        return target;
    }


    public RunBackup {
        Required.text(target, "target");
    }
}
