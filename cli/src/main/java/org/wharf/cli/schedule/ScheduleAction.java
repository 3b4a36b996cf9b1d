package org.wharf.cli.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.message.schedule.ScheduleRef;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pause|resume|run|delete NAME}: one command about one schedule, one event or a rejection back.
 * Each subclass says which command, which answer, and how the answer reads.
 */
abstract class ScheduleAction<A> implements Callable<Integer> {

    private final Cli cli;
    private final MessageType<ScheduleRef> command;
    private final MessageType<A> success;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;
    @Option(names = "--timeout", defaultValue = "PT30S", paramLabel = "DURATION", description = "How long to wait for the scheduler's answer (90s, 10m, 2h or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    ScheduleAction(Cli cli, MessageType<ScheduleRef> command, MessageType<A> success) {
        this.cli = cli;
        this.command = command;
        this.success = success;
    }

    @Override
    public Integer call() {
        if (name.isBlank()) {
            throw new UsageException("the schedule's NAME must not be blank");
        }
        Envelope answer = Scheduler.request(cli, command, name, new ScheduleRef(name), timeout);
        if (!answer.type().equals(success.type())) {
            return Scheduler.refused(cli, name, answer, json);
        }
        A event = success.read(answer);
        if (json) {
            cli.terminal().json(event);
        } else {
            cli.terminal().line(confirmation(event));
        }
        return Exit.OK;
    }

    abstract String confirmation(A event);

    @Command(name = "pause", description = "Pause a schedule: it fires no more until resumed.")
    public static class Pause extends ScheduleAction<Schedule> {
        public Pause(Cli cli) {
            super(cli, Messages.PAUSE_SCHEDULE, Messages.SCHEDULE_PAUSED);
        }

        @Override
        String confirmation(Schedule schedule) {
            return "schedule " + schedule.name() + " paused";
        }
    }

    @Command(name = "resume", description = "Resume a paused schedule.")
    public static class Resume extends ScheduleAction<Schedule> {
        public Resume(Cli cli) {
            super(cli, Messages.RESUME_SCHEDULE, Messages.SCHEDULE_RESUMED);
        }

        @Override
        String confirmation(Schedule schedule) {
            ZoneId zone = FireTimes.zone(schedule);
            return "schedule " + schedule.name() + " resumed; next " + FireTimes.next(schedule, Instant.now())
                    .map(t -> FireTimes.withZone(t, zone)).orElse("none");
        }
    }

    @Command(name = "run", description = "Fire a schedule's command now (its expression is unchanged).")
    public static class Run extends ScheduleAction<ScheduleFired> {
        public Run(Cli cli) {
            super(cli, Messages.RUN_SCHEDULE, Messages.SCHEDULE_FIRED);
        }

        @Override
        String confirmation(ScheduleFired fired) {
            return "schedule " + fired.name() + " fired " + fired.commandType() + " " + fired.commandKey()
                    + " (command " + fired.commandId() + ", correlation " + fired.correlationId() + ")";
        }
    }

    @Command(name = "delete", description = "Delete a schedule; its name can be used again.")
    public static class Delete extends ScheduleAction<ScheduleRef> {
        public Delete(Cli cli) {
            super(cli, Messages.DELETE_SCHEDULE, Messages.SCHEDULE_DELETED);
        }

        @Override
        String confirmation(ScheduleRef deleted) {
            return "schedule " + deleted.name() + " deleted";
        }
    }
}
