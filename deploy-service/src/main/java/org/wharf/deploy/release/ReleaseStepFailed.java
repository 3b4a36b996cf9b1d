package org.wharf.deploy.release;

import org.wharf.deploy.ssh.CommandResult;

/**
 * A step on the release folders of a host did not succeed: which, why in one line, and how the
 * command ended (its exit, the tail of its output), for StepFinished and DeployFailed.
 */
public final class ReleaseStepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final transient CommandResult result;

    public ReleaseStepFailed(String step, String reason, CommandResult result) {
        super(reason);
        this.step = step;
        this.result = result;
    }

    public String step() {
        return step;
    }

    /** How the step's command ended; null when the step was refused before running anything. */
    public CommandResult result() {
        return result;
    }
}
