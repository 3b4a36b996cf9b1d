package org.wharf.cli.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.DurationOption;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.schedule.InvalidScheduleException;
import org.wharf.common.schedule.ScheduleExpression;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf schedule add}: everything is checked here first, so a mistake costs no round trip. */
@Command(name = "add", description = "Create a schedule (or, with --replace, replace one) that fires one command: "
        + "exactly one of --backup, --deploy, or --type with --payload.")
public class AddSchedule implements Callable<Integer> {

    static final int NEXT_SHOWN = 3;

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;
    @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "6 fields (seconds first), 5 fields "
            + "(minute first), @daily, @hourly, ..., '@every 1h30m', or 'none' (once, now).")
    String cron;
    @Option(names = "--zone", paramLabel = "ZONE", description = "The IANA time zone the expression is read in (default UTC).")
    String zone;
    @Option(names = "--backup", paramLabel = "TARGET", description = "Fire a backup of TARGET.")
    String backup;
    @Option(names = "--deploy", arity = "2", paramLabel = "APP ENV", hideParamSyntax = true,
            description = "Fire a deploy of application APP to environment ENV.")
    List<String> deploy;
    @Option(names = "--type", paramLabel = "T", description = "Fire a command of this ce_type (with --payload).")
    String type;
    @Option(names = "--payload", paramLabel = "JSON", description = "The command's payload, a JSON object.")
    String payload;
    @Option(names = "--topic", paramLabel = "TOPIC", description = "Where a --type the message catalog does not know goes.")
    String topic;
    @Option(names = "--key", paramLabel = "KEY", description = "The --type command's record key (default NAME).")
    String key;
    @Option(names = "--missed", paramLabel = "fire-once|skip", description = "After downtime: one catch-up fire, or none (default fire-once).")
    String missed;
    @Option(names = "--starting-deadline", paramLabel = "DURATION", description = "Skip a fire later than this after "
            + "its due time: 90s, 10m, 1h or PT10M.")
    String startingDeadline;
    @Option(names = "--concurrency", paramLabel = "allow|forbid", description = "forbid: skip a fire while the previous "
            + "one's job runs (default allow).")
    String concurrency;
    @Option(names = "--job-timeout", paramLabel = "DURATION", description = "With --concurrency forbid: a job not ended "
            + "this long after its fire no longer holds the next fires back (30m, 2h or PT2H; default the command's deadline).")
    String jobTimeout;
    @Option(names = "--paused", description = "Create it paused.")
    boolean paused;
    @Option(names = "--replace", description = "Replace the schedule of this name (the whole definition).")
    boolean replace;
    @Option(names = "--timeout", defaultValue = "PT30S", paramLabel = "DURATION", description = "How long to wait for the scheduler's answer (90s, 10m, 2h or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public AddSchedule(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        ScheduleDefinition definition = definition();
        MessageType<ScheduleDefinition> command = replace ? Messages.UPDATE_SCHEDULE : Messages.CREATE_SCHEDULE;
        MessageType<Schedule> success = replace ? Messages.SCHEDULE_UPDATED : Messages.SCHEDULE_CREATED;
        Envelope answer = Scheduler.request(cli, command, name, definition, timeout);
        if (!answer.type().equals(success.type())) {
            return Scheduler.refused(cli, name, answer, json);
        }
        Schedule schedule = success.read(answer);
        Instant now = Instant.now();
        if (json) {
            ZoneId zone = FireTimes.zone(schedule);
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("schedule", schedule);
            document.put("next", FireTimes.next(schedule, now, NEXT_SHOWN).stream().map(t -> FireTimes.withOffset(t, zone)).toList());
            cli.terminal().json(document);
        } else {
            cli.terminal().line(confirmation(schedule, replace, now));
        }
        return Exit.OK;
    }

    /** One line, with the next fire times in the zone: a 5-for-6-fields slip shows at once. */
    static String confirmation(Schedule schedule, boolean updated, Instant now) {
        ZoneId zone = FireTimes.zone(schedule);
        return "schedule " + schedule.name() + (updated ? " updated" : " created") + (schedule.paused() ? ", paused" : "")
                + ": '" + schedule.expression() + "' in " + zone.getId() + " fires " + ScheduleText.command(schedule.command())
                + (schedule.paused() ? "; once resumed, next " : "; next ")
                + ScheduleText.times(FireTimes.next(schedule, now, NEXT_SHOWN), zone);
    }

    /** The definition to send; any usage error is thrown before the broker is touched. */
    ScheduleDefinition definition() {
        if (name.isBlank()) {
            throw new UsageException("the schedule's NAME must not be blank");
        }
        try {
            ScheduleExpression.parse(cron);
            ScheduleExpression.zone(zone);
        } catch (InvalidScheduleException e) {
            throw new UsageException(e.getMessage());
        }
        var command = new CommandToFire(backup, deploy, type, payload, topic, key).toScheduledCommand(name);
        Long deadlineSeconds = startingDeadline == null ? null : DurationOption.seconds("--starting-deadline", startingDeadline);
        String concurrencyPolicy = oneOf("--concurrency", concurrency, "allow", "forbid");
        Long jobTimeoutSeconds = jobTimeout == null ? null : DurationOption.seconds("--job-timeout", jobTimeout);
        // As the scheduler refuses it: only a forbid schedule waits for its job, so only it has a timeout.
        if (jobTimeoutSeconds != null && !"forbid".equals(concurrencyPolicy)) {
            throw new UsageException("--job-timeout goes with --concurrency forbid only (a schedule waits for its job only then)");
        }
        // Blank means the default (UTC), which the scheduler applies to a missing zone.
        String zoneId = zone == null || zone.isBlank() ? null : zone;
        return new ScheduleDefinition(name, cron, zoneId, command, oneOf("--missed", missed, "fire-once", "skip"),
                deadlineSeconds, concurrencyPolicy, paused, null, jobTimeoutSeconds);
    }

    private static String oneOf(String option, String value, String... allowed) {
        if (value == null || List.of(allowed).contains(value)) {
            return value;
        }
        throw new UsageException(option + " " + value + ": not one of " + String.join(", ", allowed));
    }
}
