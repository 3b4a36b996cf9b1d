package org.wharf.common.message.deploy;

import org.wharf.common.message.Required;

/** A step of a deployment began on a host ({@code address:port}). */
public record StepStarted(String deploymentId, String application, String environment, String host, String step) {

    public StepStarted {
        Required.text(deploymentId, "deploymentId");
        Required.text(host, "host");
        Required.text(step, "step");
    }
}
