package org.wharf.cli.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.message.schedule.Schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf schedule list}: every schedule, when it fires next and how its last due time went. */
@Command(name = "list", description = "List the schedules: next fire time (in each schedule's zone), command, last fire or miss.")
public class ListSchedules implements Callable<Integer> {

    private static final List<String> HEADER = List.of("NAME", "EXPRESSION", "ZONE", "NEXT", "COMMAND", "LAST");

    private final Cli cli;

    @Option(names = "--json", description = "Print one JSON document (an array).")
    boolean json;

    public ListSchedules(Cli cli) {
        this.cli = cli;
    }

    /** One schedule as listed; {@code next} is null when paused or when nothing is due any more. */
    record Listed(Schedule schedule, String next, ScheduleBook.Occurrence last) {
    }

    @Override
    public Integer call() {
        List<Listed> listed = listed(Scheduler.schedules(cli).entries(), Instant.now());
        if (json) {
            cli.terminal().json(listed);
        } else if (listed.isEmpty()) {
            cli.terminal().line("no schedules");
        } else {
            table(listed).forEach(cli.terminal()::line);
        }
        return Exit.OK;
    }

    static List<Listed> listed(List<ScheduleBook.Entry> entries, Instant now) {
        return entries.stream().map(entry -> {
            Schedule schedule = entry.schedule();
            String next = schedule.paused() ? null
                    : FireTimes.next(schedule, now).map(t -> FireTimes.withOffset(t, FireTimes.zone(schedule))).orElse(null);
            return new Listed(schedule, next, entry.last().orElse(null));
        }).toList();
    }

    static List<String> table(List<Listed> listed) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Listed row : listed) {
            Schedule schedule = row.schedule();
            ZoneId zone = FireTimes.zone(schedule);
            rows.add(List.of(schedule.name(), schedule.expression(), schedule.zone(),
                    schedule.paused() ? "paused" : ScheduleText.orDash(row.next()),
                    ScheduleText.command(schedule.command()),
                    row.last() == null ? "-" : ScheduleText.occurrence(row.last(), zone)));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i < row.size() - 1 ? String.format("%-" + widths[i] + "s  ", row.get(i)) : row.get(i));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
