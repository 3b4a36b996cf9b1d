package org.wharf.cli.backup;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a backup stands, as its events tell it and {@code backup list} shows it. */
public enum BackupStatus {
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    PRUNED("pruned");

    private final String word;

    BackupStatus(String word) {
        this.word = word;
    }

    /** The word shown, on the terminal and in JSON alike. */
    @JsonValue
    public String word() {
        return word;
    }

    /** The backup status shown as {@code word}; any other word is none. */
    public static BackupStatus of(String word) {
        for (BackupStatus value : values()) {
            if (value.word.equals(word)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a backup status: " + word);
    }
}
