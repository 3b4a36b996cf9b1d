package org.wharf.deploy.backup;

import org.wharf.common.util.Worded;

/**
 * Where the backup a deployment takes before its migration stands: asked for, or answered. Each has the word
 * the {@code status} column of the {@code deployment_backup} table holds.
 */
public enum DeploymentBackupStatus implements Worded {
    ASKED,
    COMPLETED,
    FAILED;

    /** The status stored as {@code word}; any other word is a row this deploy-service cannot read. */
    public static DeploymentBackupStatus of(String word) {
        return Worded.of(values(), word, "status of a deployment's backup");
    }
}
