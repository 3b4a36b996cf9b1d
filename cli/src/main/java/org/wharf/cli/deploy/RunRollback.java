package org.wharf.cli.deploy;

import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deploy.Rollback;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf deploy rollback APP ENV [--to RELEASE]}: Rollback; RolledBack (as asked) is its success. */
@Command(name = "rollback", description = "Put an earlier release live again (default: the previous good one; never a bad one), "
        + "restart and check health.")
public class RunRollback implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    AppEnvironment target;
    @Option(names = "--to", paramLabel = "RELEASE", description = "The release (yyyyMMddHHmmss) to put live (default: the previous good one).")
    String toRelease;
    @Mixin
    FollowOptions follow;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public RunRollback(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String key = target.key();
        if (toRelease != null && toRelease.isBlank()) {
            throw new UsageException("--to must name a release (leave it out for the previous good one)");
        }
        String what = "rollback of " + target.application() + "/" + target.environment();
        Envelope first = DeployService.request(cli, Messages.ROLLBACK, key, new Rollback(target.application(), target.environment(), toRelease));
        if (!DeployService.is(first, Messages.DEPLOY_STARTED)) {
            return DeployService.refused(cli, what, target.application(), target.environment(), first, json);
        }
        Follow.Ended end = Follow.fromStart(cli, first, follow.wait, follow.timeout, json, "the " + what, target.application(), target.environment());
        if (end == null) {
            return Exit.OK;
        }
        if (end.is(Messages.DEPLOY_COMMAND_REJECTED)) {
            return DeployService.refused(cli, what, target.application(), target.environment(), end.end(), json);
        }
        return ended(end.end(), end.deployment());
    }

    /** With --json, the deployment's fold, as status prints it. */
    private int ended(Envelope end, Deployment deployment) {
        if (DeployService.is(end, Messages.ROLLED_BACK) && Messages.ROLLED_BACK.read(end).requested()) {
            RolledBack rolledBack = Messages.ROLLED_BACK.read(end);
            if (json) {
                cli.terminal().json(deployment);
            } else {
                cli.terminal().line(DeployText.rolledBack(rolledBack));
            }
            return Exit.OK;
        }
        String reason = DeployService.is(end, Messages.DEPLOY_FAILED) ? DeployText.failed(Messages.DEPLOY_FAILED.read(end))
                : DeployText.rolledBack(Messages.ROLLED_BACK.read(end));
        if (json) {
            cli.terminal().json(deployment);
        }
        cli.terminal().progress("wharf: " + reason);
        return Exit.JOB_FAILED;
    }
}
