package org.wharf.cli.deploy;

import org.wharf.common.util.Worded;

/** Where a step of a deployment on a host stands, as {@code deploy status} shows it (a failure in capitals, to stand out). */
public enum StepStatus implements Worded {
    RUNNING("running"),
    OK("ok"),
    FAILED("FAILED");

    private final String word;

    StepStatus(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }

    /** A finished step's: ok, or FAILED. */
    public static StepStatus finished(boolean succeeded) {
        return succeeded ? OK : FAILED;
    }

    /** The step status shown as {@code word}; any other word is none. */
    public static StepStatus of(String word) {
        return Worded.of(values(), word, "step status");
    }
}
