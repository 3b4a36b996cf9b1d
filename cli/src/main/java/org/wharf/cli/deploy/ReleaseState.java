package org.wharf.cli.deploy;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a release of the release log stands, as {@code deploy releases} shows it. */
enum ReleaseState {
    DEPLOYING("deploying"),
    GOOD("good"),
    /** Failed after its switch: never chosen by a rollback. */
    BAD("bad"),
    /** Never went live. */
    FAILED("failed");

    private final String word;

    ReleaseState(String word) {
        this.word = word;
    }

    /** The word shown, on the terminal and in JSON alike. */
    @JsonValue
    public String word() {
        return word;
    }

    /** The release state shown as {@code word}; any other word is none. */
    public static ReleaseState of(String word) {
        for (ReleaseState value : values()) {
            if (value.word.equals(word)) {
                return value;
            }
        }
        throw new IllegalArgumentException("not a release state: " + word);
    }
}
