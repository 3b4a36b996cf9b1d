package org.wharf.loader.deposit.internal;

import org.wharf.common.util.Worded;

/**
 * Where a deposit's load stands. Each has the word the {@code status} column of the loader's {@code deposit}
 * table holds (and its check constraint allows), which DepositRescheduled carries too.
 */
public enum LoadStatus implements Worded {
    /** Set for loading again (a reschedule), not started yet. */
    VERIFIED,
    LOADING,
    DONE,
    FAILED;

    /** The status stored as {@code word}; any other word is a row this loader cannot read. */
    public static LoadStatus of(String word) {
        return Worded.of(values(), word, "load status");
    }
}
