package org.wharf.checker.deposit.internal;

/**
 * Where a deposit stands with the checker: received and not judged yet, verified or rejected. Each has the
 * word the {@code status} column of the checker's {@code deposit} table holds (and its check constraint allows).
 */
public enum CheckStatus {
    DEPOSITED("deposited"),
    VERIFIED("verified"),
    REJECTED("rejected");

    private final String word;

    CheckStatus(String word) {
        this.word = word;
    }

    /** The word as stored. */
    public String word() {
        return word;
    }

    /** The status stored as {@code word}; any other word is a row this checker cannot read. */
    public static CheckStatus of(String word) {
        for (CheckStatus status : values()) {
            if (status.word.equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a deposit status of the checker: " + word);
    }
}
