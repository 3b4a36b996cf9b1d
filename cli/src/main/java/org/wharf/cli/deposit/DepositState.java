package org.wharf.cli.deposit;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a deposit stands, with the statuses of Software Heritage's deposit service; {@code unknown} while none
 * of its records was seen. The status of {@link DepositStatus}, as {@code deposit status} and {@code deposit list} show it.
 */
public enum DepositState {
    UNKNOWN("unknown"),
    DEPOSITED("deposited"),
    VERIFIED("verified"),
    REJECTED("rejected"),
    LOADING("loading"),
    DONE("done"),
    FAILED("failed");

    private final String word;

    DepositState(String word) {
        this.word = word;
    }

    /** The word shown, on the terminal and in JSON alike. */
    @JsonValue
    public String word() {
        return word;
    }

    /** The deposit status shown as {@code word}; any other word is none. */
    public static DepositState of(String word) {
        for (DepositState value : values()) {
            if (value.word.equals(word)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a deposit status: " + word);
    }
}
