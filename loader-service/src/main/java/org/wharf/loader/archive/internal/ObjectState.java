package org.wharf.loader.archive.internal;

/** Where an archive object's upload stands, by the word the {@code state} column of {@code archive_object} holds. */
public enum ObjectState {
    /** Claimed by a load, its upload not finished: its contents are not readable yet. */
    UPLOADING("uploading"),
    STORED("stored");

    private final String word;

    ObjectState(String word) {
        this.word = word;
    }

    /** The word as stored. */
    public String word() {
        return word;
    }

    /** The state stored as {@code word}; any other word is a row this loader cannot read. */
    public static ObjectState of(String word) {
        for (ObjectState state : values()) {
            if (state.word.equals(word)) {
                return state;
            }
        }
        throw new IllegalArgumentException("not an archive object state: " + word);
    }
}
