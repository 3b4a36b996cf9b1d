package org.wharf.deploy.deployment;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wharf.common.util.SecretScrubber;
import org.wharf.deploy.backup.BackupBeforeMigrate;
import org.wharf.deploy.backup.DeploymentBackupStatus;
import org.wharf.deploy.health.HealthCheck;
import org.wharf.deploy.health.HealthSpec;
import org.wharf.deploy.inventory.DeployInventory.Host;
import org.wharf.deploy.plan.DeploymentPlan;
import org.wharf.deploy.plan.Step;
import org.wharf.deploy.release.ReleaseFolders;
import org.wharf.deploy.release.ReleaseStepFailed;
import org.wharf.deploy.restart.RestartCommands.Restart;
import org.wharf.deploy.ssh.CommandResult;
import org.wharf.deploy.ssh.SshFailure;
import org.wharf.deploy.ssh.SshOptions;
import org.wharf.deploy.ssh.SshSession;

/**
 * A deployment on one host, over one SSH connection: every step of it, each reported as it starts and
 * ends. Up to the switch the live release is never touched, and a failure removes the new release; past
 * the switch a failure puts the release before it back ({@code current} renamed again), restarts and
 * checks it.
 */
@Component
class HostDeployment {

    private static final Logger log = LoggerFactory.getLogger(HostDeployment.class);

    /** How a host ended. */
    enum Outcome {
        /** The new release is live and healthy. */
        LIVE,
        /** Failed before the switch: the host keeps the release it had. */
        KEPT_PREVIOUS,
        /** Failed after the switch, and the release before was put back. */
        PUT_BACK,
        /** Failed after the switch, and putting the release before back failed too. */
        NOT_PUT_BACK
    }

    record HostResult(Host host, String name, Outcome outcome, String previous, Step step, String reason) {

        boolean live() {
            return outcome == Outcome.LIVE;
        }

        /** Whether the new release was live on this host at some moment. */
        boolean switched() {
            return outcome != Outcome.KEPT_PREVIOUS;
        }
    }

    /** A step that did not succeed, and why in one line. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final Step step;

        StepFailed(Step step, String reason) {
            super(reason);
            this.step = step;
        }

        Step step() {
            return step;
        }
    }

    @FunctionalInterface
    private interface StepBody {
        /** Runs the step; a result that did not succeed fails it. */
        CommandResult run() throws ReleaseStepFailed, SshFailure, StepFailed, InterruptedException;
    }

    private final StepLog steps;
    private final BackupBeforeMigrate backups;
    private final DeploySettings settings;

    HostDeployment(StepLog steps, BackupBeforeMigrate backups, DeploySettings settings) {
        this.steps = steps;
        this.backups = backups;
        this.settings = settings;
    }

    /** The deployment's steps on {@code host}: a deploy's whole sequence, or a rollback's switch, restart and health. */
    HostResult run(Rollout rollout, Host host) throws InterruptedException {
        DeploymentPlan plan = rollout.plan();
        String name = DeploymentPlan.name(host);
        SshSession[] session = new SshSession[1];
        ReleaseFolders[] folders = new ReleaseFolders[1];
        String[] previous = new String[1];
        try {
            step(rollout, name, Step.CONNECT, () -> {
                session[0] = SshSession.open(host.sshHost(), options());
                folders[0] = new ReleaseFolders(session[0], plan.root(host), settings.getStepTimeout());
                previous[0] = folders[0].current().orElse(null);
                if (plan.isRollback() && !folders[0].releases().contains(plan.release())) {
                    throw new StepFailed(Step.CONNECT, "release " + plan.release() + " is not on " + host.endpoint()
                            + " (it has " + String.join(", ", folders[0].releases()) + ")");
                }
                return null;
            });
            if (!plan.isRollback()) {
                beforeSwitch(rollout, host, name, session[0], folders[0]);
            }
        } catch (StepFailed e) {
            if (folders[0] != null && !plan.isRollback()) {
                removeQuietly(folders[0], plan.release(), name);
            }
            close(session[0]);
            return new HostResult(host, name, Outcome.KEPT_PREVIOUS, previous[0], e.step(), e.getMessage());
        }
        try {
            try {
                step(rollout, name, Step.SWITCH, () -> {
                    folders[0].switchTo(plan.release());
                    return null;
                });
            } catch (StepFailed e) {
                // The switch is one rename: when it failed, current still names the release before.
                if (!plan.isRollback()) {
                    removeQuietly(folders[0], plan.release(), name);
                }
                return new HostResult(host, name, Outcome.KEPT_PREVIOUS, previous[0], e.step(), e.getMessage());
            }
            try {
                restartAndCheck(rollout, host, name, session[0], Step.RESTART, Step.HEALTH);
            } catch (StepFailed e) {
                Outcome back = putBack(rollout, host, name, session[0], folders[0], previous[0]);
                return new HostResult(host, name, back, previous[0], e.step(), e.getMessage());
            }
            if (!plan.isRollback()) {
                prune(rollout, name, folders[0], previous[0]);
            }
            return new HostResult(host, name, Outcome.LIVE, previous[0], null, null);
        } finally {
            close(session[0]);
        }
    }

    /**
     * Puts {@code previous} back on a host where the deployment's release went live (an earlier batch's
     * host, when a later batch stopped the rollout): a connection of its own, then switch, restart, health.
     */
    Outcome putBack(Rollout rollout, Host host, String previous) throws InterruptedException {
        String name = DeploymentPlan.name(host);
        SshSession[] session = new SshSession[1];
        try {
            step(rollout, name, Step.CONNECT, () -> {
                session[0] = SshSession.open(host.sshHost(), options());
                return null;
            });
            return putBack(rollout, host, name, session[0], new ReleaseFolders(session[0], rollout.plan().root(host), settings.getStepTimeout()),
                    previous);
        } catch (StepFailed e) {
            return Outcome.NOT_PUT_BACK;
        } finally {
            close(session[0]);
        }
    }

    private void beforeSwitch(Rollout rollout, Host host, String name, SshSession session, ReleaseFolders folders)
            throws StepFailed, InterruptedException {
        DeploymentPlan plan = rollout.plan();
        step(rollout, name, Step.FETCH, () -> {
            String commit = folders.fetch(plan.release(), plan.app().getRepository(), plan.ref());
            String pinned = rollout.pinCommit(commit);
            if (!pinned.equals(commit)) {
                throw new StepFailed(Step.FETCH, "ref " + plan.ref() + " is " + commit + " here but was " + pinned
                        + " on the first host: it moved during the deployment");
            }
            return null;
        });
        if (!plan.app().getShared().isEmpty()) {
            step(rollout, name, Step.LINK_SHARED, () -> {
                folders.linkShared(plan.release(), plan.app().getShared());
                return null;
            });
        }
        if (plan.build()) {
            step(rollout, name, Step.BUILD, () -> session.run(plan.inRelease(host, plan.app().getBuild()), settings.getStepTimeout()));
        }
        if (plan.app().getMigrate() != null) {
            String target = plan.app().getBackupBeforeMigrate();
            if (target != null) {
                step(rollout, name, Step.BACKUP, () -> {
                    backups.ask(rollout.id(), rollout.deployment().correlationId(), rollout.deployment().actor(), target);
                    BackupBeforeMigrate.Answer answer;
                    try {
                        answer = backups.await(rollout.id(), settings.getBackupWait(), rollout::stopping);
                    } catch (BackupBeforeMigrate.NoAnswer e) {
                        throw new StepFailed(Step.BACKUP, "backup of " + target + " before the migration: " + e.getMessage());
                    }
                    if (answer.status() != DeploymentBackupStatus.COMPLETED) {
                        throw new StepFailed(Step.BACKUP, "backup of " + target + " before the migration failed: " + answer.reason());
                    }
                    return null;
                });
            }
            step(rollout, name, Step.MIGRATE, () -> session.run(plan.inRelease(host, plan.app().getMigrate()), settings.getStepTimeout()));
        }
    }

    private void restartAndCheck(Rollout rollout, Host host, String name, SshSession session, Step restart, Step health)
            throws StepFailed, InterruptedException {
        DeploymentPlan plan = rollout.plan();
        for (Restart service : plan.restarts()) {
            step(rollout, name, restart, () -> session.run(plan.inCurrent(host, service.command()), settings.getStepTimeout()));
        }
        HealthSpec spec = plan.health();
        if (spec != null) {
            step(rollout, name, health, () -> {
                HealthCheck.Result result = "wharf".equals(plan.app().getHealth().getFrom())
                        ? HealthCheck.fromWharf(spec, HealthCheck.Pause.SLEEP)
                        : HealthCheck.onHost(session, spec, HealthCheck.Pause.SLEEP);
                if (!result.healthy()) {
                    throw new StepFailed(health, "health check on " + name + ": " + result.reason());
                }
                return null;
            });
        }
    }

    /** Switch back to {@code previous} (or no release, if there was none), restart, health again. */
    private Outcome putBack(Rollout rollout, Host host, String name, SshSession session, ReleaseFolders folders, String previous)
            throws InterruptedException {
        DeploymentPlan plan = rollout.plan();
        try {
            step(rollout, name, Step.SWITCH_BACK, () -> {
                if (previous != null) {
                    folders.switchTo(previous);
                } else {
                    folders.unlinkCurrent();
                }
                if (!plan.isRollback()) {
                    folders.markBad(plan.release(), "failed after its switch (deployment " + rollout.id() + ")");
                }
                return null;
            });
            if (previous != null) {
                restartAndCheck(rollout, host, name, session, Step.RESTART_AGAIN, Step.HEALTH_AGAIN);
            }
            return Outcome.PUT_BACK;
        } catch (StepFailed e) {
            log.warn("deployment {}: {} could not be put back on {}: {}", rollout.id(), previous, name, e.getMessage());
            return Outcome.NOT_PUT_BACK;
        }
    }

    /** Keeps {@code keep-releases}, never the new one nor the one before it; a failed prune leaves the deployment good. */
    private void prune(Rollout rollout, String name, ReleaseFolders folders, String previous) throws InterruptedException {
        DeploymentPlan plan = rollout.plan();
        List<String> kept = previous == null ? List.of(plan.release()) : List.of(plan.release(), previous);
        try {
            step(rollout, name, Step.PRUNE, () -> {
                folders.prune(plan.app().getKeepReleases(), kept);
                return null;
            });
        } catch (StepFailed e) {
            log.warn("deployment {}: pruning on {} failed, releases are left: {}", rollout.id(), name, e.getMessage());
        }
    }

    private void step(Rollout rollout, String host, Step step, StepBody body) throws StepFailed, InterruptedException {
        if (rollout.stopping() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("the deploy-service is stopping");
        }
        long seq = steps.started(rollout, host, step);
        long started = System.nanoTime();
        CommandResult result = null;
        String reason;
        try {
            result = body.run();
            if (result == null || result.succeeded()) {
                steps.finished(rollout, seq, host, step, true, result, millisSince(started), null);
                return;
            }
            reason = step.label() + " on " + host + ": " + result.outcome() + lastLine(result);
        } catch (ReleaseStepFailed e) {
            result = e.result();
            reason = e.getMessage();
        } catch (SshFailure e) {
            if (rollout.stopping()) {
                throw new InterruptedException("the deploy-service is stopping");
            }
            reason = e.reason();
        } catch (StepFailed e) {
            reason = e.getMessage();
        }
        steps.finished(rollout, seq, host, step, false, result, millisSince(started), reason);
        throw new StepFailed(step, reason);
    }

    private SshOptions options() {
        return SshOptions.DEFAULTS.withConnectTimeout(settings.getConnectTimeout());
    }

    private static void removeQuietly(ReleaseFolders folders, String release, String host) {
        try {
            folders.remove(release);
        } catch (ReleaseStepFailed | SshFailure e) {
            log.warn("the failed release {} could not be removed from {}; it never went live: {}", release, host, e.getMessage());
        }
    }

    private static void close(SshSession session) {
        if (session != null) {
            session.close();
        }
    }

    private static String lastLine(CommandResult result) {
        String[] lines = result.outputTail().strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? "" : ": " + SecretScrubber.scrub(last);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static Optional<HostResult> firstFailure(List<HostResult> results) {
        return results.stream().filter(r -> !r.live()).findFirst();
    }
}
