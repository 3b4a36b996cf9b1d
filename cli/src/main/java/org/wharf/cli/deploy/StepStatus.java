package org.wharf.cli.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a step of a deployment on a host stands, as {@code deploy status} shows it (a failure in capitals, to stand out). */
public enum StepStatus {
    RUNNING("running"),
    OK("ok"),
    FAILED("FAILED");

    private final String word;

    StepStatus(String word) {
        this.word = word;
    }

    /** The word shown, on the terminal and in JSON alike. */
    @JsonValue
    public String word() {
        return word;
    }

    /** A finished step's: ok, or FAILED. */
    public static StepStatus finished(boolean succeeded) {
        return succeeded ? OK : FAILED;
    }

    /** The step status shown as {@code word}; any other word is none. */
    public static StepStatus of(String word) {
        for (StepStatus value : values()) {
            if (value.word.equals(word)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a step status: " + word);
    }
}
