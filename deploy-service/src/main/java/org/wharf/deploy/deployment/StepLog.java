package org.wharf.deploy.deployment;

import java.time.Clock;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.message.deploy.StepStarted;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.util.SecretScrubber;
import org.wharf.deploy.plan.Step;
import org.wharf.deploy.ssh.CommandResult;

/**
 * Each step of a deployment on a host, kept twice in one transaction: its row in the deploy schema (so a
 * restarted service knows where a dead one stopped) and StepStarted/StepFinished for whoever follows.
 * Output is kept as its tail, with whatever looks like a secret removed.
 */
@Component
class StepLog {

    /** How much of a step's output an event carries. */
    static final int TAIL_CHARS = 4000;

    private final Deployments deployments;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock = Clock.systemUTC();

    StepLog(Deployments deployments, Outbox outbox, TransactionTemplate tx) {
        this.deployments = deployments;
        this.outbox = outbox;
        this.tx = tx;
    }

    long started(Rollout rollout, String host, Step step) {
        Long seq = tx.execute(status -> {
            long row = deployments.stepStarted(rollout.id(), host, step.label(), clock.instant());
            outbox.append(Messages.STEP_STARTED, rollout.key(), new StepStarted(rollout.id(), rollout.deployment().application(),
                    rollout.deployment().environment(), host, step.label()), rollout.id(), rollout.deployment().correlationId(),
                    rollout.deployment().actor());
            return row;
        });
        return seq;
    }

    void finished(Rollout rollout, long seq, String host, Step step, boolean succeeded, CommandResult result, long millis,
                  String reason) {
        Integer exit = result == null ? null : result.exitStatus();
        String tail = result == null ? null : tail(result.outputTail());
        String scrubbedReason = SecretScrubber.scrub(reason);
        tx.executeWithoutResult(status -> {
            deployments.stepFinished(seq, succeeded, exit, millis, tail, scrubbedReason, clock.instant());
            outbox.append(Messages.STEP_FINISHED, rollout.key(), new StepFinished(rollout.id(), rollout.deployment().application(),
                    rollout.deployment().environment(), host, step.label(), succeeded, exit, millis, tail, scrubbedReason),
                    rollout.id(), rollout.deployment().correlationId(), rollout.deployment().actor());
        });
    }

    private static String tail(String output) {
        if (output == null) {
            return null;
        }
        String scrubbed = SecretScrubber.scrub(output);
        return scrubbed.length() <= TAIL_CHARS ? scrubbed : scrubbed.substring(scrubbed.length() - TAIL_CHARS);
    }
}
