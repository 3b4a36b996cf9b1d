package org.wharf.checker.deposit.internal;

import org.wharf.common.util.Worded;

/**
 * Where a deposit stands with the checker: received and not judged yet, verified or rejected. Each has the
 * word the {@code status} column of the checker's {@code deposit} table holds (and its check constraint allows).
 */
public enum CheckStatus implements Worded {
    DEPOSITED,
    VERIFIED,
    REJECTED;

    /** The status stored as {@code word}; any other word is a row this checker cannot read. */
    public static CheckStatus of(String word) {
        return Worded.of(values(), word, "deposit status of the checker");
    }
}
