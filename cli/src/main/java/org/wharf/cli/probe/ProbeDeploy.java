package org.wharf.cli.probe;

import java.util.Optional;

import org.wharf.cli.deploy.Deployment;
import org.wharf.cli.deploy.AppEnvironment;
import org.wharf.cli.deploy.DeploymentLog;
import org.wharf.cli.support.Cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code wharf probe deploy APP ENV}: CRITICAL when the last deployment that ended failed or rolled back. */
@Command(name = "deploy", description = {"CRITICAL when the last deployment of APP ENV that ended failed or was rolled back; "
        + "UNKNOWN when it was never deployed.",
        "Output: DEPLOY OK - sample/staging: release 20261203T101500Z completed in 3.1 s | duration=3.1s;;"})
public class ProbeDeploy extends Probe {

    @Mixin
    AppEnvironment target;

    public ProbeDeploy(Cli cli) {
        super(cli, "DEPLOY");
    }

    @Override
    protected ProbeResult check() {
        String key = target.key();
        DeploymentLog log = DeploymentLog.of(cli, target.application(), target.environment());
        Optional<Deployment> last = log.newestEnded();
        String running = log.newest().filter(d -> !d.ended()).map(d -> "; " + d.kind() + " " + d.deploymentId() + " running").orElse("");
        if (last.isEmpty()) {
            return result(PluginStatus.UNKNOWN, key + ": never deployed" + running, "");
        }
        Deployment d = last.get();
        String perf = d.durationMillis() == null ? "" : ProbeResult.perfSeconds("duration", d.durationMillis() / 1000.0, null, null);
        String release = d.toRelease() != null ? d.toRelease() : d.release();
        return switch (d.outcome()) {
            case COMPLETED -> result(PluginStatus.OK, key + ": " + d.kind() + " of release " + release
                    + " completed" + (d.durationMillis() == null ? "" : " in " + ProbeResult.seconds(d.durationMillis() / 1000.0)) + running, perf);
            case ROLLED_BACK -> result(PluginStatus.CRITICAL, key + ": " + d.kind() + " of release "
                    + d.release() + " rolled back to " + d.toRelease() + ": " + d.reason() + where(d) + running, perf);
            default -> result(PluginStatus.CRITICAL, key + ": " + d.kind() + " " + d.deploymentId() + " failed: "
                    + d.reason() + where(d) + running, perf);
        };
    }

    private static String where(Deployment d) {
        return d.host() == null ? "" : " (at " + d.host() + (d.step() == null ? "" : "/" + d.step()) + ")";
    }
}
