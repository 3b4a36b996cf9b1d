package org.wharf.cli.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a deployment ended, or that it has not yet, as {@code deploy status} shows it. */
public enum DeploymentOutcome {
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    /** Its release failed after the switch and is marked bad (a requested rollback that succeeded is completed). */
    ROLLED_BACK("rolled back");

    private final String word;

    DeploymentOutcome(String word) {
        this.word = word;
    }

    /** The word shown, on the terminal and in JSON alike. */
    @JsonValue
    public String word() {
        return word;
    }

    /** The deployment outcome shown as {@code word}; any other word is none. */
    public static DeploymentOutcome of(String word) {
        for (DeploymentOutcome value : values()) {
            if (value.word.equals(word)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a deployment outcome: " + word);
    }
}
