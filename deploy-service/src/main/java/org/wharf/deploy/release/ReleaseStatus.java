package org.wharf.deploy.release;

import org.wharf.common.util.Worded;

/** What the release log knows of a release that went live, by the word the {@code status} column of {@code release} holds. */
public enum ReleaseStatus implements Worded {
    GOOD,
    /** Failed after its switch: no rollback picks it. */
    BAD;

    /** The status stored as {@code word}; any other word is a row this deploy-service cannot read. */
    public static ReleaseStatus of(String word) {
        return Worded.of(values(), word, "release status");
    }
}
