package org.wharf.common.message.deploy;

import org.wharf.common.message.Required;

/**
 * A step of a deployment ended on a host: whether it succeeded, its command's exit status (null when no
 * command ran or none returned one), how long it took, and the tail of its output with secrets scrubbed.
 */
public record StepFinished(String deploymentId, String application, String environment, String host, String step,
                           boolean succeeded, Integer exitStatus, long durationMillis, String outputTail, String reason) {

    public StepFinished {
        Required.text(deploymentId, "deploymentId");
        Required.text(host, "host");
        Required.text(step, "step");
    }
}
