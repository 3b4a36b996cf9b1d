package org.wharf.scheduler.schedule;

import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;
import org.wharf.common.message.CommandDeadlines;

/**
 * How long a schedule that forbids concurrent runs waits for its fire's job: its own job timeout, or
 * else the fired command's deadline ({@code wharf.deadlines.*}).
 */
@Component
public class JobTimeouts {

    private final CommandDeadlines deadlines;

    public JobTimeouts(CommandDeadlines deadlines) {
        this.deadlines = deadlines;
    }

    public Duration of(StoredSchedule schedule) {
        return schedule.jobTimeoutSeconds() != null ? Duration.ofSeconds(schedule.jobTimeoutSeconds())
                : deadlines.of(schedule.commandType());
    }

    /** The job a fire of {@code dueAt} started at {@code now}, as the schedule waits for it. */
    public StoredSchedule.RunningJob started(StoredSchedule schedule, CommandFirer.Fire fire, Instant dueAt, Instant now) {
        return new StoredSchedule.RunningJob(fire.job(), dueAt, now.plus(of(schedule)));
    }
}
