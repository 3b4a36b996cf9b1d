package org.wharf.common.message.backup;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/**
 * Pin a completed backup of {@code target} (its id or key), so that retention never deletes it; with
 * {@code unpin} (default false), let retention treat it as any other again.
 */
public record PinBackup(String target, String backup, Boolean unpin) implements Keyed {

    @Override
    public String aggregateKey() {
        return target;
    }


    public PinBackup {
        Required.text(target, "target");
        Required.text(backup, "backup");
        unpin = unpin != null && unpin; // left out: pin
    }
}
