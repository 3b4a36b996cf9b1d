package org.wharf.scheduler.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleOnce;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.schedule.ScheduleExpression;
import org.wharf.scheduler.schedule.internal.ScheduleValidation;

/**
 * The commands on {@code wharf.scheduler.commands}. Each is answered on {@code wharf.scheduler.events}
 * by the event it caused, or by a CommandRejected saying why, in the transaction of its effects.
 */
@Component
public class ScheduleCommands {

    static final int DEFAULT_HISTORY = 20;

    private final Schedules schedules;
    private final CommandFirer firer;
    private final ScheduleChanges changes;
    private final Clock clock;
    private final JobTimeouts jobs;

    public ScheduleCommands(Schedules schedules, CommandFirer firer, ScheduleChanges changes, Clock clock, JobTimeouts jobs) {
        this.jobs = jobs;
        this.schedules = schedules;
        this.firer = firer;
        this.changes = changes;
        this.clock = clock;
    }

    public void create(Delivery<ScheduleDefinition> delivery) {
        ScheduleDefinition definition = delivery.payload();
        delivery.handleOnce(() -> {
            List<String> problems = ScheduleValidation.problems(definition);
            if (!problems.isEmpty()) {
                reject(delivery, Messages.CREATE_SCHEDULE, definition.name(), String.join("; ", problems));
                return;
            }
            if (schedules.lock(definition.name()) != null) {
                reject(delivery, Messages.CREATE_SCHEDULE, definition.name(), "schedule " + definition.name()
                        + " already exists: replace it (wharf schedule add --replace) or delete it first");
                return;
            }
            Instant now = now();
            StoredSchedule schedule = stored(definition, now.truncatedTo(ChronoUnit.SECONDS), false, null, null);
            schedule = schedule.withNextFireAt(firstDue(schedule, now));
            schedules.insert(schedule);
            delivery.emit(Messages.SCHEDULE_CREATED, schedule.name(), schedule.toMessage());
            changes.signalAfterCommit();
        });
    }

    /** A whole new definition; the time @every counts from restarts only when the expression changes. */
    public void update(Delivery<ScheduleDefinition> delivery) {
        ScheduleDefinition definition = delivery.payload();
        delivery.handleOnce(() -> {
            List<String> problems = ScheduleValidation.problems(definition);
            if (!problems.isEmpty()) {
                reject(delivery, Messages.UPDATE_SCHEDULE, definition.name(), String.join("; ", problems));
                return;
            }
            StoredSchedule existing = schedules.lock(definition.name());
            if (existing == null) {
                reject(delivery, Messages.UPDATE_SCHEDULE, definition.name(), unknown(definition.name()));
                return;
            }
            Instant now = now();
            Instant anchor = existing.expression().equals(definition.expression()) ? existing.anchor()
                    : now.truncatedTo(ChronoUnit.SECONDS);
            boolean paused = definition.paused() != null ? definition.paused() : existing.paused();
            StoredSchedule schedule = stored(definition, anchor, false, null, null).withPaused(paused)
                    .withRunning(existing.running());
            schedule = schedule.withNextFireAt(firstDue(schedule, now));
            schedules.update(schedule);
            delivery.emit(Messages.SCHEDULE_UPDATED, schedule.name(), schedule.toMessage());
            changes.signalAfterCommit();
        });
    }

    public void pause(Delivery<ScheduleRef> delivery) {
        changePaused(delivery, Messages.PAUSE_SCHEDULE, true);
    }

    /** A resumed schedule fires from now on: what fell due while it was paused is not caught up. */
    public void resume(Delivery<ScheduleRef> delivery) {
        changePaused(delivery, Messages.RESUME_SCHEDULE, false);
    }

    private void changePaused(Delivery<ScheduleRef> delivery, MessageType<ScheduleRef> command, boolean paused) {
        String name = delivery.payload().name();
        delivery.handleOnce(() -> {
            StoredSchedule existing = schedules.lock(name);
            if (existing == null) {
                reject(delivery, command, name, unknown(name));
                return;
            }
            StoredSchedule schedule = existing.withPaused(paused);
            if (!paused && !ScheduleExpression.parse(existing.expression()).once()) {
                schedule = schedule.withNextFireAt(firstDue(schedule, now()));
            }
            schedules.update(schedule);
            delivery.emit(paused ? Messages.SCHEDULE_PAUSED : Messages.SCHEDULE_RESUMED, name, schedule.toMessage());
            changes.signalAfterCommit();
        });
    }

    public void delete(Delivery<ScheduleRef> delivery) {
        String name = delivery.payload().name();
        delivery.handleOnce(() -> {
            if (schedules.lock(name) == null) {
                reject(delivery, Messages.DELETE_SCHEDULE, name, unknown(name));
                return;
            }
            schedules.delete(name);
            delivery.emit(Messages.SCHEDULE_DELETED, name, new ScheduleRef(name));
        });
    }

    /** Fires now, paused or not, without moving the schedule's next due time. */
    public void runNow(Delivery<ScheduleRef> delivery) {
        String name = delivery.payload().name();
        delivery.handleOnce(() -> {
            StoredSchedule schedule = schedules.lock(name);
            if (schedule == null) {
                reject(delivery, Messages.RUN_SCHEDULE, name, unknown(name));
                return;
            }
            if (schedule.forbidsConcurrentRuns() && schedule.runningCorrelationId() != null) {
                reject(delivery, Messages.RUN_SCHEDULE, name, "previous run still running (job "
                        + schedule.runningCorrelationId() + ") and schedule " + name + " forbids concurrent runs");
                return;
            }
            CommandFirer.Fire fire = firer.fire(schedule, now(), delivery.envelope());
            firer.write(List.of(fire));
            if (schedule.forbidsConcurrentRuns()) {
                schedules.advanceAll(List.of(new Schedules.Advance(name, schedule.nextFireAt(),
                        jobs.started(schedule, fire, fire.row().dueAt(), clock.instant()))));
            }
        });
    }

    /** One command at one instant, under a schedule of its own that fires once. */
    public void once(Delivery<ScheduleOnce> delivery) {
        ScheduleOnce once = delivery.payload();
        String name = once.name() != null ? once.name() : "once-" + Envelope.newId();
        delivery.handleOnce(() -> {
            List<String> problems = new ArrayList<>();
            ScheduleValidation.name(name, problems);
            ScheduleValidation.command(once.command(), problems);
            if (!problems.isEmpty()) {
                reject(delivery, Messages.SCHEDULE_ONCE, name, String.join("; ", problems));
                return;
            }
            if (schedules.lock(name) != null) {
                reject(delivery, Messages.SCHEDULE_ONCE, name, "schedule " + name + " already exists");
                return;
            }
            Instant at = once.at().truncatedTo(ChronoUnit.MILLIS);
            StoredSchedule schedule = stored(new ScheduleDefinition(name, "none", "UTC", once.command(), null, null, null,
                    false, 1), at, true, delivery.envelope().correlationId(), null).withNextFireAt(at);
            schedules.insert(schedule);
            delivery.emit(Messages.SCHEDULE_CREATED, name, schedule.toMessage());
            changes.signalAfterCommit();
        });
    }

    /** The first due time of a schedule from {@code now}: {@code none} is due at once (at its anchor). */
    private static Instant firstDue(StoredSchedule schedule, Instant now) {
        ScheduleExpression expression = ScheduleExpression.parse(schedule.expression());
        if (expression.once()) {
            return schedule.anchor();
        }
        return expression.nextAfter(now, ScheduleExpression.zone(schedule.zone()), schedule.anchor()).orElse(null);
    }

    private static StoredSchedule stored(ScheduleDefinition d, Instant anchor, boolean oneShot, String correlationId,
                                         String runningCorrelationId) {
        ScheduledCommand command = d.command();
        return new StoredSchedule(d.name(), d.expression().trim(), ScheduleExpression.zone(d.zone()).getId(), command.topic(),
                command.type(), command.key(), WharfJson.MAPPER.writeValueAsString(command.payload()),
                d.missedRunPolicy() != null ? d.missedRunPolicy() : StoredSchedule.FIRE_ONCE, d.startingDeadlineSeconds(),
                d.concurrencyPolicy() != null ? d.concurrencyPolicy() : StoredSchedule.ALLOW,
                d.paused() != null && d.paused(), d.historyLimit() != null ? d.historyLimit() : DEFAULT_HISTORY, oneShot, anchor,
                null, correlationId, runningCorrelationId, d.jobTimeoutSeconds(), null, null);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String unknown(String name) {
        return "no schedule named " + name;
    }

    private static <T> void reject(Delivery<T> delivery, MessageType<?> command, String key, String reason) {
        delivery.emit(Messages.SCHEDULER_COMMAND_REJECTED, key == null ? "" : key,
                new CommandRejected(command.type(), key, reason));
    }
}
