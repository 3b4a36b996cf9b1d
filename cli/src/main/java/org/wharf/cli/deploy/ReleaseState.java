package org.wharf.cli.deploy;

import org.wharf.common.util.Worded;

/** Where a release of the release log stands, as {@code deploy releases} shows it. */
enum ReleaseState implements Worded {
    DEPLOYING,
    GOOD,
    /** Failed after its switch: never chosen by a rollback. */
    BAD,
    /** Never went live. */
    FAILED;

    /** The release state shown as {@code word}; any other word is none. */
    public static ReleaseState of(String word) {
        return Worded.of(values(), word, "release state");
    }
}
