package org.wharf.common.message.deploy;

import org.wharf.common.message.Required;

/**
 * An operator released a deploy lock: the lock that was held ({@code heldBy}, {@code deploymentId}; null
 * when there was none) and why. Who asked is the record's actor.
 */
public record DeployUnlocked(String application, String environment, String heldBy, String deploymentId, String reason) {

    public DeployUnlocked {
        Required.text(application, "application");
        Required.text(environment, "environment");
        Required.text(reason, "reason");
    }
}
