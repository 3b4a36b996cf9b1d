package org.wharf.common.message.deploy;

import org.wharf.common.message.Required;

/**
 * A deployment failed before any host switched to its release (or a rollback could not be carried out):
 * every host keeps the release it had. {@code host} and {@code step} say where, when it was on a host.
 */
public record DeployFailed(String deploymentId, String application, String environment, String kind, String release,
                           String reason, String host, String step) {

    public DeployFailed {
        Required.text(deploymentId, "deploymentId");
        Required.text(application, "application");
        Required.text(environment, "environment");
        Required.text(reason, "reason");
    }
}
