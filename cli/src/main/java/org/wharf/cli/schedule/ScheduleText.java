package org.wharf.cli.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.wharf.common.message.schedule.ScheduledCommand;

/** The few phrases that add, list and show share, so a schedule reads the same everywhere. */
final class ScheduleText {

    private ScheduleText() {
    }

    /** {@code org.wharf.backup.run-backup.v1 db}: the type and the key; the topic follows from the type. */
    static String command(ScheduledCommand command) {
        return command.type() + " " + command.key();
    }

    /** {@code 2025-03-30T02:00:00+02:00 fired}, {@code … fired (manual)}, {@code … missed: reason}, at the due time. */
    static String occurrence(ScheduleBook.Occurrence occurrence, ZoneId zone) {
        String when = FireTimes.withOffset(occurrence.dueAt(), zone);
        if (occurrence.fired()) {
            return when + " fired" + (occurrence.manual() ? " (manual)" : "");
        }
        return when + " missed: " + occurrence.reason();
    }

    static String times(List<Instant> times, ZoneId zone) {
        if (times.isEmpty()) {
            return "none";
        }
        return String.join(", ", times.stream().map(t -> FireTimes.withZone(t, zone)).toList());
    }

    static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
