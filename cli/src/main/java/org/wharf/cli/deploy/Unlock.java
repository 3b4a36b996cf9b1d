package org.wharf.cli.deploy;

import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployUnlocked;
import org.wharf.common.message.deploy.UnlockDeploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf deploy unlock APP ENV --reason R}: releases the deploy lock, whoever holds it; who asked and why are recorded. */
@Command(name = "unlock", description = "Release the deploy lock of an application's environment (after a deployment that "
        + "can no longer release it); says who held it.")
public class Unlock implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    AppEnvironment target;
    @Option(names = "--reason", required = true, paramLabel = "R", description = "Why, for the lock's log.")
    String reason;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public Unlock(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String key = target.key();
        if (reason.isBlank()) {
            throw new UsageException("--reason must say why the lock is released");
        }
        Envelope answer = DeployService.request(cli, Messages.UNLOCK_DEPLOY, key, new UnlockDeploy(target.application(), target.environment(), reason));
        if (!DeployService.is(answer, Messages.DEPLOY_UNLOCKED)) {
            return DeployService.refused(cli, "unlock of " + key, target.application(), target.environment(), answer, json);
        }
        DeployUnlocked unlocked = Messages.DEPLOY_UNLOCKED.read(answer);
        if (json) {
            cli.terminal().json(unlocked);
        } else if (unlocked.heldBy() == null) {
            cli.terminal().line("no deploy lock of " + key + " was held; nothing to release");
        } else {
            cli.terminal().line("deploy lock of " + key + " released: it was held by " + unlocked.heldBy()
                    + (unlocked.deploymentId() == null ? "" : " (deployment " + unlocked.deploymentId() + ")"));
        }
        return Exit.OK;
    }
}
