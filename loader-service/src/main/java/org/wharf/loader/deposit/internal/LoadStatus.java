package org.wharf.loader.deposit.internal;

/**
 * Where a deposit's load stands. Each has the word the {@code status} column of the loader's {@code deposit}
 * table holds (and its check constraint allows), which DepositRescheduled carries too.
 */
public enum LoadStatus {
    /** Set for loading again (a reschedule), not started yet. */
    VERIFIED("verified"),
    LOADING("loading"),
    DONE("done"),
    FAILED("failed");

    private final String word;

    LoadStatus(String word) {
        this.word = word;
    }

    /** The word as stored. */
    public String word() {
        return word;
    }

    /** The status stored as {@code word}; any other word is a row this loader cannot read. */
    public static LoadStatus of(String word) {
        for (LoadStatus status : values()) {
            if (status.word.equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a load status: " + word);
    }
}
