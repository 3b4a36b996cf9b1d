package org.wharf.cli.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One deployment (a deploy or a rollback) as its events tell it: what, by whom, how it ended, and each
 * step on each host in the order they began.
 *
 * @param outcome {@code running}, {@code completed}, {@code failed}, or {@code rolled back} (its release
 *                failed after the switch and is marked bad); a requested rollback that succeeded is completed
 * @param reason  why it failed or rolled back, with {@code host} and {@code step} where that was on a host
 * @param release the release it puts live; {@code toRelease} the one live after a rollback
 */
public record Deployment(String deploymentId, String application, String environment, String kind, String ref, String release,
                  String actor, Instant startedAt, List<String> hosts, DeploymentOutcome outcome, String reason, String host, String step,
                  String commit, String fromRelease, String toRelease, Map<String, String> failedHosts, Long durationMillis,
                  List<Step> steps) {

    /** A step on a host: {@code running}, {@code ok} or {@code FAILED}; exit status, duration and output once it ended. */
    public record Step(String host, String step, StepStatus status, Integer exitStatus, Long durationMillis, String outputTail,
                String reason) {
    }

    public boolean ended() {
        return outcome != DeploymentOutcome.RUNNING;
    }
}
