package org.wharf.scheduler.schedule;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.message.schedule.ScheduleMissed;
import org.wharf.common.outbox.Outbox;

/**
 * Writes what a due time comes to — the schedule's command and ScheduleFired, or ScheduleMissed — through
 * the outbox, with the fire's row, in the caller's transaction: the schedule moves on in the same one,
 * so a due time fires once or not at all.
 */
@Component
public class CommandFirer {

    /** Who fired: {@code ce_actor} of every fired command. */
    public static final String ACTOR = "scheduler";

    private final Outbox outbox;
    private final Schedules schedules;
    private final Clock clock;

    public CommandFirer(Outbox outbox, Schedules schedules, Clock clock) {
        this.outbox = outbox;
        this.schedules = schedules;
        this.clock = clock;
    }

    /** What a due time comes to: the records for the outbox and the fire's row, written with others by {@link #write}. */
    public record Fire(List<Outbox.Pending> records, Schedules.FireRow row) {

        /** The correlation id of the job a fire started; null for a miss. */
        public String job() {
            return row.correlationId();
        }
    }

    /**
     * The schedule's command for {@code dueAt}: a correlation of its own (a one-shot keeps the one of the
     * record that asked for it), {@code ce_time} = the due time; with ScheduleFired.
     */
    public Fire fire(StoredSchedule schedule, Instant dueAt) {
        return fire(schedule, dueAt, null);
    }

    /**
     * A fire asked for by {@code runNow} (RunSchedule), which the fired command and ScheduleFired name as
     * their cause, so that whoever asked finds the answer to their request.
     */
    public Fire fire(StoredSchedule schedule, Instant dueAt, Envelope runNow) {
        String id = Envelope.newId();
        String correlation = schedule.oneShot() && schedule.correlationId() != null ? schedule.correlationId() : id;
        Envelope command = new Envelope(id, outbox.source(), schedule.commandType(), dueAt, schedule.commandKey(), correlation,
                runNow == null ? null : runNow.id(), ACTOR, null, schedule.commandPayload().getBytes(StandardCharsets.UTF_8));
        boolean manual = runNow != null;
        ScheduleFired fired = new ScheduleFired(schedule.name(), dueAt, clock.instant(), id, schedule.commandTopic(),
                schedule.commandType(), schedule.commandKey(), correlation, manual);
        Envelope event = Envelope.causedBy(manual ? runNow : command, outbox.source(), Messages.SCHEDULE_FIRED.type(),
                schedule.name(), Messages.SCHEDULE_FIRED.write(fired));
        return new Fire(List.of(new Outbox.Pending(schedule.commandTopic(), schedule.commandKey(), command),
                new Outbox.Pending(Messages.SCHEDULE_FIRED.topic().topicName(), schedule.name(), event)),
                new Schedules.FireRow(schedule.name(), dueAt, "fired", null, id, correlation, manual));
    }

    public Fire missed(StoredSchedule schedule, Instant dueAt, String reason) {
        Envelope event = Envelope.first(outbox.source(), Messages.SCHEDULE_MISSED.type(), schedule.name(), ACTOR,
                Messages.SCHEDULE_MISSED.write(new ScheduleMissed(schedule.name(), dueAt, reason)));
        return new Fire(List.of(new Outbox.Pending(Messages.SCHEDULE_MISSED.topic().topicName(), schedule.name(), event)),
                new Schedules.FireRow(schedule.name(), dueAt, "missed", reason, null, null, false));
    }

    /** Writes fires in the caller's transaction, a round trip for all their records and one for their rows. */
    public void write(List<Fire> fires) {
        outbox.appendAll(fires.stream().flatMap(f -> f.records().stream()).toList());
        schedules.recordFires(fires.stream().map(Fire::row).toList());
    }
}
