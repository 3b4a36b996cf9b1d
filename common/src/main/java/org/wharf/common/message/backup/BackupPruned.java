package org.wharf.common.message.backup;

import java.util.List;

import org.wharf.common.message.Required;

/**
 * What retention removed (or, with {@code dryRun}, would remove), by key, and how many completed backups
 * remain; {@code strays} counts the objects under the target's prefix that the catalog does not know
 * (put there by hand or by an older tool): retention leaves them alone.
 */
public record BackupPruned(String target, boolean dryRun, List<String> deleted, int kept, Integer strays) {

    public BackupPruned {
        Required.text(target, "target");
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
        strays = strays == null ? 0 : strays;
    }
}
