package org.wharf.common.message.backup;

import java.util.List;

import org.wharf.common.message.Required;

/** What retention removed (or, with {@code dryRun}, would remove), by key, and how many completed backups remain. */
public record BackupPruned(String target, boolean dryRun, List<String> deleted, int kept) {

    public BackupPruned {
        Required.text(target, "target");
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
    }
}
