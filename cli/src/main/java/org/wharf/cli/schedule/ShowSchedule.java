package org.wharf.cli.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.wharf.cli.support.DurationOption;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.schedule.Schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf schedule show NAME}: the whole schedule, its next fire times and its recent fires and misses. */
@Command(name = "show", description = "Show a schedule: all its fields, its next " + ShowSchedule.NEXT_SHOWN
        + " fire times in its zone, its recent fires and misses.")
public class ShowSchedule implements Callable<Integer> {

    static final int NEXT_SHOWN = 5;

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public ShowSchedule(Cli cli) {
        this.cli = cli;
    }

    /** What show prints; {@code next} in the schedule's zone with offset, computed now. */
    record Details(Schedule schedule, List<String> next, List<ScheduleBook.Occurrence> history) {
    }

    @Override
    public Integer call() {
        Optional<ScheduleBook.Entry> entry = Scheduler.schedule(cli, name).find(name);
        if (entry.isEmpty()) {
            String reason = "no schedule named " + name;
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("name", name);
                document.put("error", reason);
                cli.terminal().json(document);
            }
            cli.terminal().progress("wharf: " + reason);
            return Exit.JOB_FAILED;
        }
        Details details = details(entry.get(), Instant.now());
        if (json) {
            cli.terminal().json(details);
        } else {
            lines(details).forEach(cli.terminal()::line);
        }
        return Exit.OK;
    }

    static Details details(ScheduleBook.Entry entry, Instant now) {
        Schedule schedule = entry.schedule();
        ZoneId zone = FireTimes.zone(schedule);
        List<String> next = FireTimes.next(schedule, now, NEXT_SHOWN).stream().map(t -> FireTimes.withZone(t, zone)).toList();
        return new Details(schedule, next, entry.history());
    }

    /** Only a forbid schedule waits for its job; without a timeout of its own, the command's deadline bounds the wait. */
    private static String jobTimeout(Schedule s) {
        if (!"forbid".equals(s.concurrencyPolicy())) {
            return "-";
        }
        return s.jobTimeoutSeconds() == null ? "the command's deadline" : DurationOption.text(s.jobTimeoutSeconds());
    }

    static List<String> lines(Details details) {
        Schedule s = details.schedule();
        ZoneId zone = FireTimes.zone(s);
        List<String> lines = new ArrayList<>();
        lines.add("schedule " + s.name() + (s.paused() ? " (paused)" : ""));
        lines.add("  expression:        " + s.expression());
        lines.add("  zone:              " + s.zone());
        lines.add("  command:           " + s.command().type() + " key " + s.command().key() + " on " + s.command().topic());
        lines.add("  payload:           " + WharfJson.MAPPER.writeValueAsString(s.command().payload()));
        lines.add("  missed runs:       " + ScheduleText.orDash(s.missedRunPolicy()));
        lines.add("  starting deadline: " + (s.startingDeadlineSeconds() == null ? "-" : s.startingDeadlineSeconds() + "s"));
        lines.add("  concurrency:       " + ScheduleText.orDash(s.concurrencyPolicy()));
        lines.add("  job timeout:       " + jobTimeout(s));
        lines.add("  history limit:     " + s.historyLimit());
        lines.add("  one-shot:          " + (s.oneShot() ? "yes" : "no"));
        lines.add("  anchor:            " + FireTimes.withZone(s.anchor(), zone));
        lines.add(s.paused() ? "  next, once resumed:" : "  next:");
        if (details.next().isEmpty()) {
            lines.add("    none");
        }
        details.next().forEach(t -> lines.add("    " + t));
        lines.add("  fires and misses (oldest first):");
        if (details.history().isEmpty()) {
            lines.add("    none yet");
        }
        details.history().forEach(o -> lines.add("    " + ScheduleText.occurrence(o, zone)
                + (o.fired() && o.firedAt() != null ? " at " + FireTimes.withOffset(o.firedAt(), zone) : "")));
        return lines;
    }
}
