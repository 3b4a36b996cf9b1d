package org.wharf.common.message.deploy;

import java.util.List;

import org.wharf.common.message.Required;

/**
 * The answer to a dry run: what a deployment would do, without having connected anywhere. The hosts in
 * rollout order, batch by batch, and the steps each host would run.
 */
public record DeployPlanned(String deploymentId, String application, String environment, String ref, String release,
                            List<List<String>> batches, List<PlannedStep> steps, List<String> restart) {

    public DeployPlanned {
        Required.text(deploymentId, "deploymentId");
        Required.text(application, "application");
        Required.text(environment, "environment");
        batches = batches == null ? List.of() : batches.stream().map(List::copyOf).toList();
        steps = steps == null ? List.of() : List.copyOf(steps);
        restart = restart == null ? List.of() : List.copyOf(restart);
    }
}
