package org.wharf.cli.deploy;

import java.util.List;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployPlanned;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf deploy run APP ENV}: Deploy, then its first answer, or with --wait every step to its end. */
@Command(name = "run", description = "Deploy a ref of an application to one of its environments (the inventory says how).")
public class RunDeploy implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    AppEnvironment target;
    @Option(names = "--ref", paramLabel = "REF", description = "The git ref to deploy (default: the environment's ref).")
    String ref;
    @Option(names = "--skip-build", description = "Leave the build step out.")
    boolean skipBuild;
    @Option(names = "--no-restart", paramLabel = "SERVICE", description = "Do not restart this service (repeatable).")
    List<String> noRestart = List.of();
    @Option(names = "--dry-run", description = "Print the plan (batches, hosts, steps, commands) without connecting to any host.")
    boolean dryRun;
    @Mixin
    FollowOptions follow;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public RunDeploy(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String key = target.key();
        if (ref != null && ref.isBlank()) {
            throw new UsageException("--ref must not be blank (leave it out for the environment's ref)");
        }
        if (noRestart.stream().anyMatch(String::isBlank)) {
            throw new UsageException("--no-restart needs a service's name");
        }
        Deploy deploy = new Deploy(target.application(), target.environment(), ref, skipBuild, noRestart, dryRun);
        Envelope first = DeployService.request(cli, Messages.DEPLOY, key, deploy);
        if (DeployService.is(first, Messages.DEPLOY_PLANNED)) {
            DeployPlanned plan = Messages.DEPLOY_PLANNED.read(first);
            if (json) {
                cli.terminal().json(plan);
            } else {
                DeployText.plan(plan).forEach(cli.terminal()::line);
            }
            return Exit.OK;
        }
        if (!DeployService.is(first, Messages.DEPLOY_STARTED)) {
            return DeployService.refused(cli, "deploy of " + DeployText.target(target.application(), target.environment()), target.application(), target.environment(),
                    first, json);
        }
        Follow.Ended ended = Follow.fromStart(cli, first, follow.wait, follow.timeout, json, "the deploy of " + DeployText.target(target.application(), target.environment()),
                target.application(), target.environment());
        if (ended == null) {
            return Exit.OK;
        }
        if (ended.is(Messages.DEPLOY_COMMAND_REJECTED)) {
            return DeployService.refused(cli, "deploy of " + DeployText.target(target.application(), target.environment()), target.application(), target.environment(),
                    ended.end(), json);
        }
        if (json) {
            cli.terminal().json(ended.deployment());
        }
        if (ended.is(Messages.DEPLOY_COMPLETED)) {
            if (!json) {
                cli.terminal().line(DeployText.completed(Messages.DEPLOY_COMPLETED.read(ended.end())));
            }
            return Exit.OK;
        }
        String reason = ended.is(Messages.DEPLOY_FAILED) ? DeployText.failed(Messages.DEPLOY_FAILED.read(ended.end()))
                : DeployText.rolledBack(Messages.ROLLED_BACK.read(ended.end()));
        cli.terminal().progress("wharf: " + reason);
        return Exit.JOB_FAILED;
    }
}
