package org.wharf.common.message.deploy;

import java.util.List;
import java.util.Map;

import org.wharf.common.message.Required;

/**
 * A deployment ended with {@code release} live and healthy on {@code hosts}; {@code failedHosts} (host to
 * reason) are those the max-fail percentage tolerated, left on their previous release.
 */
public record DeployCompleted(String deploymentId, String application, String environment, String kind, String ref,
                              String release, String commit, List<String> hosts, Map<String, String> failedHosts,
                              long durationMillis) {

    public DeployCompleted {
        Required.text(deploymentId, "deploymentId");
        Required.text(application, "application");
        Required.text(environment, "environment");
        Required.text(release, "release");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        failedHosts = failedHosts == null ? Map.of() : Map.copyOf(failedHosts);
    }
}
