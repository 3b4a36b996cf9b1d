package org.wharf.common.message.deploy;

import java.time.Instant;
import java.util.List;

import org.wharf.common.message.Required;

/**
 * A deployment took the lock and began: {@code kind} is {@code deploy} or {@code rollback}; {@code release}
 * is the folder it puts live ({@code releases/<yyyyMMddHHmmss>}), new for a deploy, an old one for a rollback.
 */
public record DeployStarted(String deploymentId, String application, String environment, String kind, String ref,
                            String release, List<String> hosts, Instant startedAt) {

    public static final String DEPLOY = "deploy";
    public static final String ROLLBACK = "rollback";

    public DeployStarted {
        Required.text(deploymentId, "deploymentId");
        Required.text(application, "application");
        Required.text(environment, "environment");
        Required.text(kind, "kind");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
