package org.wharf.deploy.deployment;

import org.wharf.common.util.Worded;

/** Where a deployment stands. Each has the word the {@code status} column of the {@code deployment} table holds. */
public enum DeploymentStatus implements Worded {
    RUNNING,
    COMPLETED,
    FAILED,
    /** Failed after its switch, and the release before put back. */
    ROLLED_BACK;

    /** The status stored as {@code word}; any other word is a row this deploy-service cannot read. */
    public static DeploymentStatus of(String word) {
        return Worded.of(values(), word, "deployment status");
    }
}
