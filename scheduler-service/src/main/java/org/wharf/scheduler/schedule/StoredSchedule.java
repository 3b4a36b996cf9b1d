package org.wharf.scheduler.schedule;

import java.time.Instant;

import org.wharf.common.json.WharfJson;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduledCommand;

/** A row of the {@code schedule} table. */
public record StoredSchedule(String name, String expression, String zone, String commandTopic, String commandType,
                             String commandKey, String commandPayload, String missedRunPolicy, Long startingDeadlineSeconds,
                             String concurrencyPolicy, boolean paused, int historyLimit, boolean oneShot, Instant anchor,
                             Instant nextFireAt, String correlationId, String runningCorrelationId) {

    public static final String FIRE_ONCE = "fire-once";
    public static final String SKIP = "skip";
    public static final String ALLOW = "allow";
    public static final String FORBID = "forbid";

    public boolean forbidsConcurrentRuns() {
        return FORBID.equals(concurrencyPolicy);
    }

    public StoredSchedule withNextFireAt(Instant next) {
        return new StoredSchedule(name, expression, zone, commandTopic, commandType, commandKey, commandPayload,
                missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy, paused, historyLimit, oneShot, anchor, next,
                correlationId, runningCorrelationId);
    }

    public StoredSchedule withPaused(boolean paused) {
        return new StoredSchedule(name, expression, zone, commandTopic, commandType, commandKey, commandPayload,
                missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy, paused, historyLimit, oneShot, anchor, nextFireAt,
                correlationId, runningCorrelationId);
    }

    /** As the scheduler's events carry it. */
    public Schedule toMessage() {
        return new Schedule(name, expression, zone, new ScheduledCommand(commandTopic, commandType, commandKey,
                WharfJson.MAPPER.readTree(commandPayload)), missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy,
                paused, historyLimit, oneShot, anchor, nextFireAt);
    }
}
