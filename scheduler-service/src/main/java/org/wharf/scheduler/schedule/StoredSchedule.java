package org.wharf.scheduler.schedule;

import java.time.Instant;

import org.wharf.common.json.WharfJson;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduledCommand;

/**
 * A row of the {@code schedule} table.
 *
 * @param jobTimeoutSeconds concurrency {@code forbid}: how long a fire's job may run; null for the command's deadline
 * @param runningCorrelationId concurrency {@code forbid}: the job the last fire started, until it ends or is released
 * @param runningDueAt the due time of that fire
 * @param runningUntil when that job is released if it has not ended
 */
public record StoredSchedule(String name, String expression, String zone, String commandTopic, String commandType,
                             String commandKey, String commandPayload, String missedRunPolicy, Long startingDeadlineSeconds,
                             String concurrencyPolicy, boolean paused, int historyLimit, boolean oneShot, Instant anchor,
                             Instant nextFireAt, String correlationId, String runningCorrelationId, Long jobTimeoutSeconds,
                             Instant runningDueAt, Instant runningUntil) {

    public static final String FIRE_ONCE = "fire-once";
    public static final String SKIP = "skip";
    public static final String ALLOW = "allow";
    public static final String FORBID = "forbid";

    /** The job a fire started and a schedule that forbids concurrent runs waits for. */
    public record RunningJob(String correlationId, Instant dueAt, Instant until) {
    }

    public boolean forbidsConcurrentRuns() {
        return FORBID.equals(concurrencyPolicy);
    }

    /** The job this schedule waits for, or null. */
    public RunningJob running() {
        return runningCorrelationId == null ? null : new RunningJob(runningCorrelationId, runningDueAt, runningUntil);
    }

    public StoredSchedule withNextFireAt(Instant next) {
        return new StoredSchedule(name, expression, zone, commandTopic, commandType, commandKey, commandPayload,
                missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy, paused, historyLimit, oneShot, anchor, next,
                correlationId, runningCorrelationId, jobTimeoutSeconds, runningDueAt, runningUntil);
    }

    public StoredSchedule withPaused(boolean paused) {
        return new StoredSchedule(name, expression, zone, commandTopic, commandType, commandKey, commandPayload,
                missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy, paused, historyLimit, oneShot, anchor, nextFireAt,
                correlationId, runningCorrelationId, jobTimeoutSeconds, runningDueAt, runningUntil);
    }

    /** Waiting for {@code job}, or (null) for nothing. */
    public StoredSchedule withRunning(RunningJob job) {
        return new StoredSchedule(name, expression, zone, commandTopic, commandType, commandKey, commandPayload,
                missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy, paused, historyLimit, oneShot, anchor, nextFireAt,
                correlationId, job == null ? null : job.correlationId(), jobTimeoutSeconds, job == null ? null : job.dueAt(),
                job == null ? null : job.until());
    }

    /** As the scheduler's events carry it. */
    public Schedule toMessage() {
        return new Schedule(name, expression, zone, new ScheduledCommand(commandTopic, commandType, commandKey,
                WharfJson.MAPPER.readTree(commandPayload)), missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy,
                paused, historyLimit, oneShot, anchor, nextFireAt, jobTimeoutSeconds);
    }
}
