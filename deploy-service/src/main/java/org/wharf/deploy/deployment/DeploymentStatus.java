package org.wharf.deploy.deployment;

/** Where a deployment stands. Each has the word the {@code status} column of the {@code deployment} table holds. */
public enum DeploymentStatus {
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    /** Failed after its switch, and the release before put back. */
    ROLLED_BACK("rolled-back");

    private final String word;

    DeploymentStatus(String word) {
        this.word = word;
    }

    /** The word as stored (and logged). */
    public String word() {
        return word;
    }

    /** The status stored as {@code word}; any other word is a row this deploy-service cannot read. */
    public static DeploymentStatus of(String word) {
        for (DeploymentStatus status : values()) {
            if (status.word.equals(word)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a deployment status: " + word);
    }
}
