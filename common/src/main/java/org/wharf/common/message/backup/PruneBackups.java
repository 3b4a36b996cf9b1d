package org.wharf.common.message.backup;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/** Apply the target's retention now; with {@code dryRun} (default false), only say what would go. */
public record PruneBackups(String target, Boolean dryRun) implements Keyed {

    @Override
    public String aggregateKey() {
        return target;
    }


    public PruneBackups {
        Required.text(target, "target");
        dryRun = dryRun != null && dryRun; // left out: a real prune
    }
}
