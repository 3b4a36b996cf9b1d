package org.wharf.backup.catalog;

import org.wharf.common.util.Worded;

/**
 * Where a backup of the catalog stands. Each has the word the {@code status} column of the {@code backup}
 * table holds (and its check constraint allows).
 */
public enum BackupStatus implements Worded {
    RUNNING,
    COMPLETED,
    FAILED,
    /** Completed, then deleted from the bucket by retention. */
    PRUNED;

    /** The status stored as {@code word}; any other word is a row this backup-service cannot read. */
    public static BackupStatus of(String word) {
        return Worded.of(values(), word, "backup status");
    }
}
