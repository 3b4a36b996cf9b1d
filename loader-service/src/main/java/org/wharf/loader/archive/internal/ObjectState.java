package org.wharf.loader.archive.internal;

import org.wharf.common.util.Worded;

/** Where an archive object's upload stands, by the word the {@code state} column of {@code archive_object} holds. */
public enum ObjectState implements Worded {
    /** Claimed by a load, its upload not finished: its contents are not readable yet. */
    UPLOADING,
    STORED;

    /** The state stored as {@code word}; any other word is a row this loader cannot read. */
    public static ObjectState of(String word) {
        return Worded.of(values(), word, "archive object state");
    }
}
