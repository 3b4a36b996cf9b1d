package org.wharf.common.message.deploy;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/**
 * Put an earlier release of an application live again on every host of an environment, restart and
 * check health. {@code toRelease} null: the newest good release before the current one; a release
 * marked bad is never chosen, nor accepted by name.
 */
public record Rollback(String application, String environment, String toRelease) implements Keyed {

    public Rollback {
        Required.text(application, "application");
        Required.text(environment, "environment");
    }

    @Override
    public String aggregateKey() {
        return DeployTarget.key(application, environment);
    }
}
