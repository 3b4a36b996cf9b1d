package org.wharf.common.message.deploy;

import java.util.List;

import org.wharf.common.message.Required;

/**
 * {@code toRelease} is live again on {@code hosts}, in place of {@code fromRelease}. Either a deployment's
 * release failed after its switch ({@code requested} false: that release is now marked bad, and
 * {@code reason}, {@code host} and {@code step} say what failed), or an operator asked (Rollback).
 */
public record RolledBack(String deploymentId, String application, String environment, String fromRelease,
                         String toRelease, List<String> hosts, boolean requested, String reason, String host, String step) {

    public RolledBack {
        Required.text(deploymentId, "deploymentId");
        Required.text(application, "application");
        Required.text(environment, "environment");
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
