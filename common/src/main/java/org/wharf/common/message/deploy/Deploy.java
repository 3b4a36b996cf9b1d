package org.wharf.common.message.deploy;

import java.util.List;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/**
 * Deploy {@code ref} of an application to one of its environments. Names and flags only: what runs on
 * which host (build, migrate, restart, health) is the deploy-service's inventory, never the message's.
 *
 * @param ref        a git ref name; null: the environment's default ref
 * @param noRestart  services (named in the inventory) not to restart this time
 * @param skipBuild  leave the inventory's build step out (default false)
 * @param dryRun     answer the plan (DeployPlanned) without connecting to any host
 */
public record Deploy(String application, String environment, String ref, Boolean skipBuild, List<String> noRestart,
                     Boolean dryRun) implements Keyed {

    public Deploy {
        Required.text(application, "application");
        Required.text(environment, "environment");
        skipBuild = skipBuild != null && skipBuild; // left out: build
        noRestart = noRestart == null ? List.of() : List.copyOf(noRestart);
        dryRun = dryRun != null && dryRun; // left out: a real deploy
    }

    @Override
    public String aggregateKey() {
        return DeployTarget.key(application, environment);
    }
}
