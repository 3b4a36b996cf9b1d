package org.wharf.deploy.backup;

/**
 * Where the backup a deployment takes before its migration stands: asked for, or answered. Each has the word
 * the {@code status} column of the {@code deployment_backup} table holds.
 */
public enum DeploymentBackupStatus {
    ASKED("asked"),
    COMPLETED("completed"),
    FAILED("failed");

    private final String word;

    DeploymentBackupStatus(String word) {
        this.word = word;
    }

    /** The word as stored. */
    public String word() {
        return word;
    }

    /** The status stored as {@code word}; any other word is a row this deploy-service cannot read. */
    public static DeploymentBackupStatus of(String word) {
        for (DeploymentBackupStatus status : values()) {
            if (status.word.equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a status of a deployment's backup: " + word);
    }
}
