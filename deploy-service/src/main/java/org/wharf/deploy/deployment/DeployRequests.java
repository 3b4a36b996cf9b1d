package org.wharf.deploy.deployment;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.DeployUnlocked;
import org.wharf.common.message.deploy.Rollback;
import org.wharf.common.message.deploy.UnlockDeploy;
import org.wharf.deploy.deployment.Deployments.Deployment;
import org.wharf.deploy.inventory.DeployInventory;
import org.wharf.deploy.lock.DeployLocks;
import org.wharf.deploy.plan.DeploymentPlan;
import org.wharf.deploy.release.ReleaseLog;
import org.wharf.deploy.release.ReleaseLog.Release;
import org.wharf.deploy.release.ReleaseStatus;
import org.wharf.deploy.request.GitRefName;
import org.wharf.deploy.request.InvalidRequestException;

/**
 * Deploy, Rollback and UnlockDeploy as they arrive: checked against the inventory before anything
 * connects (a bad ref, an unknown application, environment, service or release is refused with the
 * reason), then the lock taken, the deployment's row and DeployStarted committed with the inbox entry,
 * and the deployment handed to the {@link DeploymentRunner}. A redelivered command finds its inbox entry
 * and starts nothing.
 */
@Component
public class DeployRequests {

    private static final Logger log = LoggerFactory.getLogger(DeployRequests.class);

    private final DeployInventory inventory;
    private final DeployLocks locks;
    private final Deployments deployments;
    private final ReleaseLog releases;
    private final DeploymentRunner runner;
    private final Clock clock = Clock.systemUTC();

    public DeployRequests(DeployInventory inventory, DeployLocks locks, Deployments deployments, ReleaseLog releases,
                          DeploymentRunner runner) {
        this.inventory = inventory;
        this.locks = locks;
        this.deployments = deployments;
        this.releases = releases;
        this.runner = runner;
    }

    public void deploy(Delivery<Deploy> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        Deploy request = delivery.payload();
        DeploymentPlan plan;
        try {
            plan = DeploymentPlan.deploy(inventory, request.application(), request.environment(), request.ref(),
                    request.skipBuild(), request.noRestart(),
                    releases.nextName(request.application(), request.environment(), clock.instant()));
        } catch (InvalidRequestException e) {
            reject(delivery, e.getMessage());
            return;
        }
        if (request.dryRun()) {
            delivery.handleOnce(() -> delivery.emit(Messages.DEPLOY_PLANNED, delivery.key(), plan.planned(delivery.envelope().id())));
            return;
        }
        begin(delivery, plan, request.skipBuild(), request.noRestart(), "deploy " + plan.ref());
    }

    public void rollback(Delivery<Rollback> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        Rollback request = delivery.payload();
        String app = request.application();
        String env = request.environment();
        DeploymentPlan plan;
        try {
            DeploymentPlan.environment(inventory, app, env);
            Release target = rollbackTarget(app, env, request.toRelease());
            plan = DeploymentPlan.rollback(inventory, app, env, target.name());
        } catch (InvalidRequestException e) {
            reject(delivery, e.getMessage());
            return;
        }
        begin(delivery, plan, false, List.of(), "rollback to " + plan.release());
    }

    public void unlock(Delivery<UnlockDeploy> delivery) {
        UnlockDeploy request = delivery.payload();
        try {
            DeploymentPlan.environment(inventory, request.application(), request.environment());
        } catch (InvalidRequestException e) {
            reject(delivery, e.getMessage());
            return;
        }
        String actor = delivery.envelope().actor() == null ? "unknown" : delivery.envelope().actor();
        delivery.handleOnce(() -> {
            Optional<DeployLocks.Lock> held = locks.unlock(request.application(), request.environment(), actor, request.reason());
            delivery.emit(Messages.DEPLOY_UNLOCKED, delivery.key(), new DeployUnlocked(request.application(), request.environment(),
                    held.map(DeployLocks.Lock::holder).orElse(null), held.map(DeployLocks.Lock::correlationId).orElse(null),
                    request.reason()));
            held.ifPresent(lock -> log.info("{} unlocked {}: it was {}; reason: {}", actor, delivery.key(), lock.describe(), request.reason()));
        });
    }

    /** Takes the lock and commits the deployment with DeployStarted; then runs it. A held lock refuses it, naming the holder. */
    private void begin(Delivery<?> delivery, DeploymentPlan plan, boolean skipBuild, List<String> noRestart, String why) {
        Envelope command = delivery.envelope();
        String actor = command.actor() == null ? "unknown" : command.actor();
        Deployment[] started = new Deployment[1];
        delivery.handleOnce(() -> {
            DeployLocks.Acquisition lock = locks.acquire(plan.application(), plan.environment(), actor, why, command.id());
            if (!lock.acquired()) {
                delivery.emit(Messages.DEPLOY_COMMAND_REJECTED, delivery.key(), new CommandRejected(command.type(), delivery.key(),
                        delivery.key() + " is locked: " + lock.lock().describe()
                                + "; wait for it to end, or release it with wharf deploy unlock " + plan.application() + " "
                                + plan.environment() + " --reason …"));
                return;
            }
            Instant now = clock.instant();
            Deployment deployment = new Deployment(command.id(), plan.kind(), plan.application(), plan.environment(), plan.ref(),
                    plan.release(), null, DeploymentStatus.RUNNING, null, null, null, actor,
                    command.correlationId() != null ? command.correlationId() : command.id(), skipBuild, noRestart, now, now, null);
            deployments.insert(deployment);
            delivery.emit(Messages.DEPLOY_STARTED, delivery.key(), new DeployStarted(deployment.id(), plan.application(),
                    plan.environment(), plan.kind(), plan.ref(), plan.release(), plan.hostNames(), now));
            started[0] = deployment;
        });
        if (started[0] != null) {
            log.info("{} of {} by {}: release {} on {}", plan.kind(), delivery.key(), actor, plan.release(), plan.hostNames());
            runner.start(started[0], plan);
        }
    }

    /** The release a rollback goes to: the one named (never a bad one), else the newest good one before the live one. */
    private Release rollbackTarget(String app, String env, String named) {
        String key = app + "/" + env;
        if (named != null) {
            if (!named.matches("[0-9]{14}")) {
                throw new InvalidRequestException("release '" + GitRefName.printable(named) + "' is not a release name (yyyyMMddHHmmss)");
            }
            Release release = releases.find(app, env, named).orElseThrow(() -> new InvalidRequestException(
                    "release " + named + " is not in the release log of " + key + " (wharf deploy releases " + app + " " + env + ")"));
            if (release.status() == ReleaseStatus.BAD) {
                throw new InvalidRequestException("release " + named + " of " + key + " is marked bad: " + release.badReason());
            }
            if (release.current()) {
                throw new InvalidRequestException("release " + named + " is already live on " + key);
            }
            return release;
        }
        Release current = releases.current(app, env).orElseThrow(() -> new InvalidRequestException(
                "no release of " + key + " went live through Wharf yet: there is nothing to roll back to"));
        return releases.goodBefore(app, env, current.name()).orElseThrow(() -> new InvalidRequestException(
                "no good release before the live one (" + current.name() + ") of " + key + " to roll back to"));
    }

    private void reject(Delivery<?> delivery, String reason) {
        log.info("{} {} refused: {}", delivery.envelope().type(), delivery.key(), reason);
        delivery.handleOnce(() -> delivery.emit(Messages.DEPLOY_COMMAND_REJECTED, delivery.key(),
                new CommandRejected(delivery.envelope().type(), delivery.key(), reason)));
    }
}
