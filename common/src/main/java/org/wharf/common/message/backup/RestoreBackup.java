package org.wharf.common.message.backup;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/**
 * Restore a backup of {@code target} into the database {@code into}, on the target's server: the one
 * named by {@code backup} (its id or key), else the latest completed. An existing database is dropped
 * and created again only when {@code drop} says so.
 */
public record RestoreBackup(String target, String backup, String into, Boolean drop) implements Keyed {

    @Override
    public String aggregateKey() {
        return target;
    }


    public RestoreBackup {
        Required.text(target, "target");
        Required.text(into, "into");
        drop = drop != null && drop; // left out: never drop
    }
}
