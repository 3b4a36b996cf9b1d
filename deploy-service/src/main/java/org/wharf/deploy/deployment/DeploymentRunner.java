package org.wharf.deploy.deployment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.util.Reasons;
import org.wharf.deploy.deployment.Deployments.Deployment;
import org.wharf.deploy.deployment.HostDeployment.HostResult;
import org.wharf.deploy.deployment.HostDeployment.Outcome;
import org.wharf.deploy.inventory.DeployInventory.Host;
import org.wharf.deploy.lock.DeployLocks;
import org.wharf.deploy.plan.DeploymentPlan;
import org.wharf.deploy.release.ReleaseLog;
import org.wharf.deploy.rollout.Batches;

/**
 * Carries out deployments, each on a thread of its own, off the consumer's: batch after batch, the hosts
 * of a batch in parallel (at most {@code wharf.deploy.forks} at once), the rollout stopped when a batch
 * fails more than {@code max-fail-percentage}. A stopped deploy whose release went live anywhere puts
 * the release before it back on every such host and marks its own bad (RolledBack); one that failed
 * before any switch ends with DeployFailed, every host untouched. The end, the release log and the lock's
 * release are one transaction. A runner says it is alive (heartbeat); a deployment whose runner fell
 * silent (its service died) is ended as interrupted where it was.
 */
@Component
public class DeploymentRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeploymentRunner.class);

    private final HostDeployment hosts;
    private final Deployments deployments;
    private final ReleaseLog releases;
    private final DeployLocks locks;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final DeploySettings settings;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Rollout> active = new ConcurrentHashMap<>();
    private final ExecutorService runners = Executors.newCachedThreadPool(named("deployment"));
    private final ExecutorService hostWorkers;
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(named("deployment-watch"));

    public DeploymentRunner(HostDeployment hosts, Deployments deployments, ReleaseLog releases, DeployLocks locks, Outbox outbox,
                            TransactionTemplate tx, DeploySettings settings) {
        this.hosts = hosts;
        this.deployments = deployments;
        this.releases = releases;
        this.locks = locks;
        this.outbox = outbox;
        this.tx = tx;
        this.settings = settings;
        this.hostWorkers = Executors.newFixedThreadPool(Math.max(1, settings.getForks()), named("deployment-host"));
        long every = Math.max(100, settings.getHeartbeat().toMillis());
        watch.scheduleWithFixedDelay(this::watch, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Runs a deployment whose row is committed (status running, the lock taken, DeployStarted sent). */
    public void start(Deployment deployment, DeploymentPlan plan) {
        Rollout rollout = new Rollout(deployment, plan);
        active.put(deployment.id(), rollout);
        runners.submit(() -> {
            try {
                if (plan.isRollback()) {
                    rollback(rollout);
                } else {
                    deploy(rollout);
                }
            } catch (InterruptedException e) {
                log.info("deployment {} of {} stopped with the deploy-service", rollout.id(), rollout.key());
                try {
                    interrupted(rollout.deployment(), " (the deploy-service stopped)");
                } catch (RuntimeException notEnded) {
                    log.warn("deployment {} is left running in the schema ({}); the next start ends it as interrupted",
                            rollout.id(), Reasons.of(notEnded));
                }
            } catch (RuntimeException e) {
                log.warn("deployment {} of {} failed: {}", rollout.id(), rollout.key(), Reasons.of(e));
                endQuietly(rollout, "the deployment failed: " + Reasons.of(e));
            } finally {
                active.remove(deployment.id());
            }
        });
    }

    /** Whether this service runs the deployment now. */
    public boolean running(String deploymentId) {
        return active.containsKey(deploymentId);
    }

    private void deploy(Rollout rollout) throws InterruptedException {
        DeploymentPlan plan = rollout.plan();
        long started = System.nanoTime();
        List<HostResult> live = new ArrayList<>();
        List<HostResult> failed = new ArrayList<>();
        boolean stopped = false;
        for (List<Host> batch : plan.batches()) {
            List<HostResult> results = inParallel(rollout, batch, host -> hosts.run(rollout, host));
            int failures = 0;
            for (HostResult result : results) {
                if (result.live()) {
                    live.add(result);
                } else {
                    failed.add(result);
                    failures++;
                }
            }
            if (Batches.stops(failures, batch.size(), plan.app().getMaxFailPercentage())) {
                stopped = true;
                break;
            }
        }
        Deployment d = rollout.deployment();
        if (!stopped && !live.isEmpty()) {
            Map<String, String> tolerated = new LinkedHashMap<>();
            failed.forEach(f -> tolerated.put(f.name(), f.reason()));
            List<String> liveHosts = live.stream().map(HostResult::name).toList();
            end(rollout, DeploymentStatus.COMPLETED, null, null, null, Messages.DEPLOY_COMPLETED,
                    new DeployCompleted(d.id(), d.application(), d.environment(), d.kind(), d.ref(), d.release(), rollout.commit(),
                            liveHosts, tolerated, (System.nanoTime() - started) / 1_000_000),
                    () -> releases.live(d.application(), d.environment(), d.release(), d.id(), d.ref(), rollout.commit(), liveHosts,
                            d.actor(), clock.instant()));
            return;
        }
        HostResult first = failed.get(0);
        boolean wentLive = !live.isEmpty() || failed.stream().anyMatch(HostResult::switched);
        if (!wentLive) {
            end(rollout, DeploymentStatus.FAILED, first.reason(), first.name(), first.step().label(), Messages.DEPLOY_FAILED,
                    new DeployFailed(d.id(), d.application(), d.environment(), d.kind(), d.release(), first.reason(), first.name(),
                            first.step().label()), null);
            return;
        }
        // The release went live somewhere and failed: every host it is live on gets the release before it back.
        Map<Host, HostResult> wasLive = new LinkedHashMap<>();
        live.forEach(r -> wasLive.put(r.host(), r));
        List<HostResult> putBack = inParallel(rollout, List.copyOf(wasLive.keySet()), host -> {
            HostResult was = wasLive.get(host);
            return new HostResult(host, was.name(), hosts.putBack(rollout, host, was.previous()), was.previous(), null, null);
        });
        List<HostResult> switched = new ArrayList<>(failed.stream().filter(HostResult::switched).toList());
        switched.addAll(putBack);
        List<String> notPutBack = switched.stream().filter(r -> r.outcome() == Outcome.NOT_PUT_BACK).map(HostResult::name).toList();
        String reason = first.reason() + (notPutBack.isEmpty() ? "" : "; the release before could not be put back on "
                + String.join(", ", notPutBack));
        String previous = switched.stream().map(HostResult::previous).filter(Objects::nonNull).findFirst().orElse(null);
        List<String> hostNames = switched.stream().map(HostResult::name).toList();
        end(rollout, DeploymentStatus.ROLLED_BACK, reason, first.name(), first.step().label(), Messages.ROLLED_BACK,
                new RolledBack(d.id(), d.application(), d.environment(), d.release(), previous, hostNames, false, reason,
                        first.name(), first.step().label()),
                () -> releases.bad(d.application(), d.environment(), d.release(), d.id(), d.ref(), rollout.commit(), hostNames,
                        d.actor(), clock.instant(), reason));
    }

    private void rollback(Rollout rollout) throws InterruptedException {
        DeploymentPlan plan = rollout.plan();
        Deployment d = rollout.deployment();
        List<HostResult> done = new ArrayList<>();
        HostResult failure = null;
        for (List<Host> batch : plan.batches()) {
            List<HostResult> results = inParallel(rollout, batch, host -> hosts.run(rollout, host));
            done.addAll(results.stream().filter(HostResult::live).toList());
            failure = HostDeployment.firstFailure(results).orElse(null);
            if (failure != null) {
                break;
            }
        }
        if (failure == null) {
            String from = done.stream().map(HostResult::previous).filter(Objects::nonNull).findFirst().orElse(null);
            List<String> hostNames = done.stream().map(HostResult::name).toList();
            end(rollout, DeploymentStatus.COMPLETED, null, null, null, Messages.ROLLED_BACK,
                    new RolledBack(d.id(), d.application(), d.environment(), from, d.release(), hostNames, true, null, null, null),
                    () -> releases.madeCurrent(d.application(), d.environment(), d.release(), clock.instant()));
            return;
        }
        // One release on every host: those already rolled back get the release they had again.
        for (HostResult result : done) {
            hosts.putBack(rollout, result.host(), result.previous());
        }
        HostResult f = failure;
        String reason = "rollback to " + d.release() + " failed: " + f.reason()
                + (done.isEmpty() ? "" : " (the hosts already rolled back got their release back)");
        end(rollout, DeploymentStatus.FAILED, reason, f.name(), f.step().label(), Messages.DEPLOY_FAILED,
                new DeployFailed(d.id(), d.application(), d.environment(), d.kind(), d.release(), reason, f.name(), f.step().label()),
                null);
    }

    @FunctionalInterface
    private interface HostWork {
        HostResult run(Host host) throws InterruptedException;
    }

    private List<HostResult> inParallel(Rollout rollout, List<Host> batch, HostWork work) throws InterruptedException {
        List<Future<HostResult>> futures = new ArrayList<>();
        for (Host host : batch) {
            futures.add(hostWorkers.submit(() -> work.run(host)));
        }
        List<HostResult> results = new ArrayList<>();
        try {
            for (Future<HostResult> future : futures) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException(Reasons.of(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            rollout.stop();
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return results;
    }

    /** The end of a deployment, its release log entry and the lock's release, with its event: all or nothing. */
    private <T> void end(Rollout rollout, DeploymentStatus status, String reason, String host, String step, MessageType<T> type, T event,
                         Runnable logEntry) {
        Deployment d = rollout.deployment();
        tx.executeWithoutResult(s -> {
            if (!deployments.end(d.id(), status, reason, host, step, clock.instant())) {
                return; // ended already: as interrupted, by another instance
            }
            if (logEntry != null) {
                logEntry.run();
            }
            locks.release(d.application(), d.environment(), d.id());
            outbox.append(type, rollout.key(), event, d.id(), d.correlationId(), d.actor());
        });
        log.info("deployment {} of {} {}{}", d.id(), rollout.key(), status.word(), reason == null ? "" : ": " + reason);
    }

    private void endQuietly(Rollout rollout, String reason) {
        try {
            Deployment d = rollout.deployment();
            end(rollout, DeploymentStatus.FAILED, reason, null, null, Messages.DEPLOY_FAILED,
                    new DeployFailed(d.id(), d.application(), d.environment(), d.kind(), d.release(), reason, null, null), null);
        } catch (RuntimeException e) {
            log.warn("deployment {} could not be ended ({}); it ends as interrupted once its heartbeat is old", rollout.id(), Reasons.of(e));
        }
    }

    /** The heartbeat of this service's deployments, and the end of those whose runner died. */
    private void watch() {
        try {
            Instant now = clock.instant();
            deployments.heartbeat(active.keySet(), now);
            for (Deployment silent : deployments.silentSince(now.minus(settings.getInterruptedAfter()))) {
                if (!active.containsKey(silent.id())) {
                    interrupted(silent, "");
                }
            }
        } catch (RuntimeException e) {
            log.warn("the deployments' heartbeat failed: {}", Reasons.of(e));
        }
    }

    /** Ends a deployment whose runner is gone: failed, "interrupted at host/step", its lock released. */
    private void interrupted(Deployment d, String why) {
        String host = null;
        String step = null;
        String reason = "interrupted before its first step" + why;
        Deployments.Position position = deployments.position(d.id()).orElse(null);
        if (position != null) {
            host = position.host();
            step = position.step();
            reason = "interrupted at " + host + "/" + step + (position.finished() ? " (after it ended)" : "") + why;
        }
        Rollout rollout = new Rollout(d, null);
        end(rollout, DeploymentStatus.FAILED, reason, host, step, Messages.DEPLOY_FAILED,
                new DeployFailed(d.id(), d.application(), d.environment(), d.kind(), d.release(), reason, host, step), null);
    }

    @Override
    public void destroy() throws InterruptedException {
        watch.shutdownNow();
        active.values().forEach(Rollout::stop);
        runners.shutdownNow();
        hostWorkers.shutdownNow();
        runners.awaitTermination(10, TimeUnit.SECONDS);
        hostWorkers.awaitTermination(5, TimeUnit.SECONDS);
        for (Rollout rollout : List.copyOf(active.values())) {
            try {
                interrupted(rollout.deployment(), " (the deploy-service stopped)");
            } catch (RuntimeException e) {
                log.warn("deployment {} is left running in the schema ({}); the next start ends it as interrupted", rollout.id(),
                        Reasons.of(e));
            }
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
