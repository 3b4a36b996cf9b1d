package org.wharf.cli.deploy;

import org.wharf.common.util.Worded;

/** How a deployment ended, or that it has not yet, as {@code deploy status} shows it. */
public enum DeploymentOutcome implements Worded {
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    /** Its release failed after the switch and is marked bad (a requested rollback that succeeded is completed). */
    ROLLED_BACK("rolled back");

    private final String word;

    DeploymentOutcome(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }

    /** The deployment outcome shown as {@code word}; any other word is none. */
    public static DeploymentOutcome of(String word) {
        return Worded.of(values(), word, "deployment outcome");
    }
}
