package org.wharf.deploy.release;

/** What the release log knows of a release that went live, by the word the {@code status} column of {@code release} holds. */
public enum ReleaseStatus {
    GOOD("good"),
    /** Failed after its switch: no rollback picks it. */
    BAD("bad");

    private final String word;

    ReleaseStatus(String word) {
        this.word = word;
    }

    /** The word as stored. */
    public String word() {
        return word;
    }

    /** The status stored as {@code word}; any other word is a row this deploy-service cannot read. */
    public static ReleaseStatus of(String word) {
        for (ReleaseStatus status : values()) {
            if (status.word.equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a release status: " + word);
    }
}
