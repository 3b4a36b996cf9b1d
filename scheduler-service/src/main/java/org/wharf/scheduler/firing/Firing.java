package org.wharf.scheduler.firing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.schedule.ScheduleExpression;
import org.wharf.common.timeout.Durations;
import org.wharf.common.util.Reasons;
import org.wharf.scheduler.schedule.CommandFirer;
import org.wharf.scheduler.schedule.JobTimeouts;
import org.wharf.scheduler.schedule.ScheduleChanges;
import org.wharf.scheduler.schedule.Schedules;
import org.wharf.scheduler.schedule.StoredSchedule;

/**
 * Each replica's firing loop: sleeps until the earliest due time (or a local change), then, in one
 * transaction, locks the due schedules that no other replica has locked ({@code for update skip locked}),
 * fires or skips each due time and moves the schedule on. The fire's records and the schedule's next
 * due time commit together, so a due time fires exactly once: a replica killed mid-fire commits
 * nothing, and another replica fires it. A schedule that forbids concurrent runs waits for the job
 * its last fire started, at most its job timeout (default: the fired command's deadline): then the job
 * is released with a ScheduleMissed saying so, and the next due time fires.
 */
@Component
public class Firing implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Firing.class);
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);
    private static final Duration KEEP_FIRED_ONE_SHOTS = Duration.ofDays(7);

    private final Schedules schedules;
    private final CommandFirer firer;
    private final ScheduleChanges changes;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JobTimeouts jobTimeouts;
    private final Duration pollInterval;
    private final Duration missedAfter;
    private final int batchSize;
    private volatile Thread thread;
    private volatile boolean running;
    private Instant nextCleanup = Instant.MIN;
    /** Parsed expressions: thousands of schedules share a handful of them. */
    private final Map<String, ScheduleExpression> expressions = new ConcurrentHashMap<>();

    public Firing(Schedules schedules, CommandFirer firer, ScheduleChanges changes, TransactionTemplate tx, Clock clock,
                  JobTimeouts jobTimeouts,
                  @Value("${wharf.scheduler.poll-interval:1s}") Duration pollInterval,
                  @Value("${wharf.scheduler.missed-after:10s}") Duration missedAfter,
                  @Value("${wharf.scheduler.batch-size:500}") int batchSize) {
        this.schedules = schedules;
        this.firer = firer;
        this.changes = changes;
        this.tx = tx;
        this.clock = clock;
        this.jobTimeouts = jobTimeouts;
        this.pollInterval = pollInterval;
        this.missedAfter = missedAfter;
        this.batchSize = batchSize;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "scheduler-firing");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                if (fireDue() == batchSize) {
                    continue; // more are due: no sleep
                }
                cleanUp();
                changes.await(millisToNextDue());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database is down, say: nothing was committed, so nothing is lost; look again soon.
                log.warn("firing: {}; retrying in {}", Reasons.of(e), pollInterval);
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Fires what is due now; returns how many schedules it handled. */
    int fireDue() {
        Integer handled = tx.execute(status -> {
            Instant now = clock.instant();
            List<StoredSchedule> due = schedules.lockDue(now, batchSize);
            if (due.isEmpty()) {
                return 0; // the usual idle poll: nothing to write
            }
            List<CommandFirer.Fire> fires = new ArrayList<>(due.size());
            List<Schedules.Advance> advances = new ArrayList<>(due.size());
            for (StoredSchedule schedule : due) {
                decide(schedule, now, fires, advances);
            }
            firer.write(fires);
            schedules.advanceAll(advances);
            return due.size();
        });
        return handled == null ? 0 : handled;
    }

    private void decide(StoredSchedule locked, Instant now, List<CommandFirer.Fire> fires, List<Schedules.Advance> advances) {
        StoredSchedule schedule = locked;
        StoredSchedule.RunningJob running = schedule.running();
        if (running != null && running.until() != null && !now.isBefore(running.until())) {
            fires.add(firer.missed(schedule, running.dueAt() != null ? running.dueAt() : now, "previous run "
                    + running.correlationId() + " did not end within " + Durations.format(jobTimeouts.of(schedule)) + ": released"));
            schedule = schedule.withRunning(null);
        }
        if (schedule.nextFireAt() == null || schedule.nextFireAt().isAfter(now)) {
            advances.add(new Schedules.Advance(schedule.name(), schedule.nextFireAt(), schedule.running())); // released only
            return;
        }
        FireDecision decision;
        try {
            decision = FireDecision.at(schedule, expressions.computeIfAbsent(schedule.expression(), ScheduleExpression::parse),
                    now, missedAfter);
        } catch (RuntimeException e) {
            // A stored expression that no longer parses (a newer rule): say so once and stop firing it.
            fires.add(firer.missed(schedule, schedule.nextFireAt(), "the schedule cannot be evaluated: " + Reasons.of(e)));
            advances.add(new Schedules.Advance(schedule.name(), null, schedule.running()));
            return;
        }
        if (decision.missedDueAt() != null) {
            fires.add(firer.missed(schedule, decision.missedDueAt(), decision.missedReason()));
        }
        StoredSchedule.RunningJob waitFor = schedule.running();
        if (decision.fire() != null) {
            CommandFirer.Fire fire = firer.fire(schedule, decision.fire());
            fires.add(fire);
            if (schedule.forbidsConcurrentRuns()) {
                waitFor = jobTimeouts.started(schedule, fire, decision.fire(), now);
            }
        }
        advances.add(new Schedules.Advance(schedule.name(), decision.next(), waitFor));
    }

    private long millisToNextDue() {
        Instant next = schedules.earliestDue();
        long idle = pollInterval.toMillis();
        if (next == null) {
            return idle;
        }
        long millis = Duration.between(clock.instant(), next).toMillis();
        return Math.max(1, Math.min(idle, millis));
    }

    private void cleanUp() {
        Instant now = clock.instant();
        if (now.isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = now.plus(CLEANUP_EVERY);
        schedules.trimHistory();
        int removed = schedules.deleteFiredOneShots(now.minus(KEEP_FIRED_ONE_SHOTS));
        if (removed > 0) {
            log.info("removed {} one-shot schedule(s) fired over {} ago", removed, KEEP_FIRED_ONE_SHOTS);
        }
    }
}
