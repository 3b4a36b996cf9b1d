package org.wharf.cli.deposit;

import org.wharf.common.util.Worded;

/**
 * Where a deposit stands, with the statuses of Software Heritage's deposit service; {@code unknown} while none
 * of its records was seen. The status of {@link DepositStatus}, as {@code deposit status} and {@code deposit list} show it.
 */
public enum DepositState implements Worded {
    UNKNOWN,
    DEPOSITED,
    VERIFIED,
    REJECTED,
    LOADING,
    DONE,
    FAILED;

    /** The deposit status shown as {@code word}; any other word is none. */
    public static DepositState of(String word) {
        return Worded.of(values(), word, "deposit status");
    }
}
