package org.wharf.common.message.schedule;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/**
 * CreateSchedule and UpdateSchedule: what a schedule is. Null optional fields take their defaults:
 * zone {@code UTC}, missed-run policy {@code fire-once}, no starting deadline, concurrency
 * {@code allow}, not paused, the last 20 fires kept. An update replaces the whole definition.
 *
 * @param expression 6 fields with seconds, 5 fields (minute first), {@code @yearly @annually @monthly
 *     @weekly @daily @midnight @hourly}, {@code @every <duration>} ({@code 1h30m}), or {@code none} (once, now)
 * @param missedRunPolicy after downtime: {@code fire-once} (one catch-up fire) or {@code skip}
 * @param startingDeadlineSeconds a fire later than this after its due time is skipped (ScheduleMissed)
 * @param concurrencyPolicy {@code allow}, or {@code forbid}: skip a fire while the previous one's job runs
 * @param jobTimeoutSeconds with {@code forbid}: a job that has not ended this long after its fire is
 *     released (ScheduleMissed) and the next due time fires; null for the fired command's deadline
 */
public record ScheduleDefinition(String name, String expression, String zone, ScheduledCommand command,
                                 String missedRunPolicy, Long startingDeadlineSeconds, String concurrencyPolicy,
                                 Boolean paused, Integer historyLimit, Long jobTimeoutSeconds) implements Keyed {

    @Override
    public String aggregateKey() {
        return name;
    }


    /** Without a job timeout of its own (the fired command's deadline). */
    public ScheduleDefinition(String name, String expression, String zone, ScheduledCommand command,
                              String missedRunPolicy, Long startingDeadlineSeconds, String concurrencyPolicy,
                              Boolean paused, Integer historyLimit) {
        this(name, expression, zone, command, missedRunPolicy, startingDeadlineSeconds, concurrencyPolicy, paused,
                historyLimit, null);
    }

    public ScheduleDefinition {
        Required.text(name, "name");
        Required.text(expression, "expression");
        Required.field(command, "command");
    }
}
