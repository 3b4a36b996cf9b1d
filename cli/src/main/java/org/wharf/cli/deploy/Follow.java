package org.wharf.cli.deploy;

import java.time.Duration;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployStarted;

/**
 * --wait of run and rollback: follows a deployment's correlation from its DeployStarted, one line per
 * finished step (on stdout; on stderr with --json, whose stdout is the one document), until an event
 * ends it.
 */
final class Follow {

    /** {@code end} is DeployCompleted, DeployFailed, RolledBack, or a refusal; {@code deployment} the fold up to it. */
    record Ended(Envelope end, Deployment deployment) {

        boolean is(MessageType<?> type) {
            return DeployService.is(end, type);
        }
    }

    private Follow() {
    }

    /** A line of the deployment's course: on stdout, or on stderr when stdout is --json's one document. */
    static void say(Cli cli, boolean json, String line) {
        if (json) {
            cli.terminal().progress(line);
        } else {
            cli.terminal().line(line);
        }
    }

    /**
     * What run and rollback do once the deployment started: without --wait, print DeployStarted and how to
     * follow it, and answer null; with --wait, follow it to its end.
     *
     * @param what "the deploy of APP to ENV", for the timeout's reason
     */
    static Ended fromStart(Cli cli, Envelope first, boolean wait, Duration timeout, boolean json, String what,
                           String application, String environment) {
        DeployStarted started = Messages.DEPLOY_STARTED.read(first);
        if (!wait) {
            if (json) {
                cli.terminal().json(started);
            } else {
                cli.terminal().line(DeployText.started(started));
                cli.terminal().line("follow it: wharf deploy status " + application + " " + environment);
            }
            return null;
        }
        say(cli, json, DeployText.started(started));
        return untilEnd(cli, first, timeout, json, what, application, environment);
    }

    /** @param what "the deploy of APP to ENV", for the timeout's reason */
    static Ended untilEnd(Cli cli, Envelope started, Duration timeout, boolean json, String what, String application,
                          String environment) {
        DeploymentLog log = new DeploymentLog();
        Envelope[] end = new Envelope[1];
        try {
            DeployService.follow(cli, started, timeout, e -> {
                log.apply(e);
                if (DeployService.is(e, Messages.STEP_FINISHED)) {
                    say(cli, json, DeployText.step(Messages.STEP_FINISHED.read(e)));
                    return true;
                }
                if (DeployService.is(e, Messages.DEPLOY_COMPLETED) || DeployService.is(e, Messages.DEPLOY_FAILED)
                        || DeployService.is(e, Messages.ROLLED_BACK) || DeployService.is(e, Messages.DEPLOY_COMMAND_REJECTED)) {
                    end[0] = e;
                    return false;
                }
                return true;
            });
        } catch (Broker.WaitTimeoutException e) {
            throw new UsageException(what + " did not end within " + timeout + " (it goes on; see: wharf deploy status "
                    + application + " " + environment + ")");
        }
        String deploymentId = Messages.DEPLOY_STARTED.read(started).deploymentId();
        return new Ended(end[0], log.find(deploymentId).orElse(null));
    }
}
