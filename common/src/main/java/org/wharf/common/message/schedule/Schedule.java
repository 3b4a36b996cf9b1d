package org.wharf.common.message.schedule;

import java.time.Instant;

import org.wharf.common.message.Required;

/**
 * A schedule as the scheduler holds it, in ScheduleCreated, ScheduleUpdated, SchedulePaused and
 * ScheduleResumed: the latest of these for a name (unless ScheduleDeleted follows) is its state.
 *
 * @param anchor when the schedule was created: {@code @every} counts its intervals from here
 * @param nextFireAt the next due time; null when there is none ({@code none} fired, a one-shot done)
 * @param jobTimeoutSeconds concurrency {@code forbid}: how long a fire's job may run before it is
 *     released; null for the fired command's deadline
 */
public record Schedule(String name, String expression, String zone, ScheduledCommand command, String missedRunPolicy,
                       Long startingDeadlineSeconds, String concurrencyPolicy, boolean paused, int historyLimit,
                       boolean oneShot, Instant anchor, Instant nextFireAt, Long jobTimeoutSeconds) {

    /** Without a job timeout of its own. */
    public Schedule(String name, String expression, String zone, ScheduledCommand command, String missedRunPolicy,
                    Long startingDeadlineSeconds, String concurrencyPolicy, boolean paused, int historyLimit,
                    boolean oneShot, Instant anchor, Instant nextFireAt) {
        this(name, expression, zone, command, missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy, paused,
                historyLimit, oneShot, anchor, nextFireAt, null);
    }

    public Schedule {
        Required.text(name, "name");
        Required.text(expression, "expression");
        Required.text(zone, "zone");
        Required.field(command, "command");
        Required.field(anchor, "anchor");
    }
}
