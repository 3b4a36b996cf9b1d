package org.wharf.backup.catalog;

/**
 * Where a backup of the catalog stands. Each has the word the {@code status} column of the {@code backup}
 * table holds (and its check constraint allows).
 */
public enum BackupStatus {
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    /** Completed, then deleted from the bucket by retention. */
    PRUNED("pruned");

    private final String word;

    BackupStatus(String word) {
        this.word = word;
    }

    /** The word as stored. */
    public String word() {
        return word;
    }

    /** The status stored as {@code word}; any other word is a row this backup-service cannot read. */
    public static BackupStatus of(String word) {
        for (BackupStatus status : values()) {
            if (status.word.equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a backup status: " + word);
    }
}
