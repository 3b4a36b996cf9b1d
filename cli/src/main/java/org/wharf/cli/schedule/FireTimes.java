package org.wharf.cli.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.schedule.InvalidScheduleException;
import org.wharf.common.schedule.ScheduleExpression;

/** When a schedule is due next, computed here from its expression, and times written in its zone. */
final class FireTimes {

    private FireTimes() {
    }

    static ZoneId zone(Schedule schedule) {
        try {
            return ScheduleExpression.zone(schedule.zone());
        } catch (InvalidScheduleException e) {
            return ZoneOffset.UTC; // a zone this JVM's tz data lacks; times are still right, in UTC
        }
    }

    static Optional<Instant> next(Schedule schedule, Instant now) {
        return expression(schedule).flatMap(e -> e.nextAfter(now, zone(schedule), schedule.anchor()));
    }

    static List<Instant> next(Schedule schedule, Instant now, int count) {
        return expression(schedule).map(e -> e.nextTimes(now, zone(schedule), schedule.anchor(), count)).orElse(List.of());
    }

    /** A schedule the scheduler accepted but this CLI cannot parse (an older CLI) has no next time here, not an error. */
    private static Optional<ScheduleExpression> expression(Schedule schedule) {
        try {
            return Optional.of(ScheduleExpression.parse(schedule.expression()));
        } catch (InvalidScheduleException e) {
            return Optional.empty();
        }
    }

    /** {@code 2025-03-30T03:00:00+02:00}: for tables and JSON. */
    static String withOffset(Instant time, ZoneId zone) {
        return time == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }

    /** {@code 2025-03-30T03:00:00+02:00[Europe/Paris]}: the offset shows DST, the zone what it belongs to. */
    static String withZone(Instant time, ZoneId zone) {
        return time == null ? null : DateTimeFormatter.ISO_ZONED_DATE_TIME.format(time.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }
}
