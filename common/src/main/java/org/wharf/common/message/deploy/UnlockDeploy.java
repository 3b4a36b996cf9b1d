package org.wharf.common.message.deploy;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/** An operator releases the deploy lock of an application's environment, whoever holds it, and says why. */
public record UnlockDeploy(String application, String environment, String reason) implements Keyed {

    public UnlockDeploy {
        Required.text(application, "application");
        Required.text(environment, "environment");
        Required.text(reason, "reason");
    }

    @Override
    public String aggregateKey() {
        return DeployTarget.key(application, environment);
    }
}
