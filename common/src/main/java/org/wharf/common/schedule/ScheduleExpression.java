package org.wharf.common.schedule;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule is due. The forms are those the platform's users know from robfig/cron (Kubernetes CronJob) and
 * Celery beat:
 * <ul>
 * <li>six fields, seconds first ({@code sec min hour day-of-month month day-of-week}), as robfig/cron's
 * {@code WithSeconds} and Spring's {@link CronExpression}, which evaluates them;</li>
 * <li>five fields, classic cron with minute first: second 0;</li>
 * <li>the macros {@code @yearly} ({@code @annually}), {@code @monthly}, {@code @weekly} (Sunday 00:00), {@code @daily}
 * ({@code @midnight}) and {@code @hourly}, as in robfig/cron;</li>
 * <li>{@code @every <duration>} with a Go duration ({@code 1h30m}, {@code 90s}, {@code 1.5h}, {@code 500ms}): due at
 * anchor + k × duration, k = 1, 2, …, the anchor (when the schedule was created) truncated to whole seconds; as in
 * robfig/cron the duration is truncated to whole seconds and one under a second counts as one second;</li>
 * <li>{@code none}: due once, at the anchor.</li>
 * </ul>
 * Macros and {@code none} are case-insensitive; cron fields go to Spring as written, so names such as {@code MON} or
 * {@code jan} work. When both day-of-month and day-of-week are restricted, a day matches when either does, as in
 * robfig/cron and Vixie cron ({@code 0 0 1 * MON}: every Monday, and every 1st); Spring alone would require both.
 * <p>
 * Cron expressions are evaluated on the wall clock of the given zone. Spring alone would skip a daily 02:30 on the
 * day clocks spring forward over it and run it twice on the day they fall back, and around half-hour shifts (Lord
 * Howe) its zoned arithmetic can even go backwards; so Spring only matches local date-times and this class maps them
 * to instants, much as Vixie cron treats daylight saving:
 * <ul>
 * <li>An expression that fires in some hours only (a daily 02:30, {@code @daily}, <code>0 *&#47;2 * * *</code>)
 * runs on the wall clock: its times that fall in a gap run once, at the first instant after the gap (2026-03-29 in
 * Europe/Paris: 02:30 runs at 03:00 CEST, 01:00Z), and its times in an overlap run at their first occurrence only
 * (2026-10-25: 02:30 CEST, 00:30Z, not again at 02:30 CET).</li>
 * <li>An expression that fires in every hour ({@code @hourly}, <code>*&#47;10 * * * * *</code>) runs on real time: it
 * is due at every instant whose local time matches, in both occurrences of an overlap, and nothing makes up for the
 * local times a gap skips, since the next hour comes anyway.</li>
 * </ul>
 * {@code @every} and {@code none} do not depend on the zone. Instances are immutable and thread-safe.
 */
public final class ScheduleExpression {

    private static final String EXPECTED_FORMS = "expected 5 (minute hour day-of-month month day-of-week), "
            + "6 (second first), a macro such as @daily, '@every <duration>' or 'none'";

    private static final List<String> SIX_FIELD_NAMES =
            List.of("second", "minute", "hour", "day-of-month", "month", "day-of-week");

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 0 1 1 *",
            "@annually", "0 0 0 1 1 *",
            "@monthly", "0 0 0 1 * *",
            "@weekly", "0 0 0 * * SUN",
            "@daily", "0 0 0 * * *",
            "@midnight", "0 0 0 * * *",
            "@hourly", "0 0 * * * *");

    private static final String KNOWN_MACROS =
            "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or '@every <duration>'";

    private static final Pattern DURATION = Pattern.compile("[-+]?((\\d+(\\.\\d*)?|\\.\\d+)(ms|h|m|s))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ms|h|m|s)");
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of(
            "h", BigDecimal.valueOf(3_600_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L),
            "s", BigDecimal.valueOf(1_000_000_000L),
            "ms", BigDecimal.valueOf(1_000_000L));
    /** Go's time.Duration is a signed 64-bit count of nanoseconds. */
    private static final BigDecimal LONGEST_GO_DURATION_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    /** Where "does it ever match" and "does it fire every hour" are asked; any date would do. */
    private static final LocalDateTime PROBE_START = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final String text;
    private final DueTimes dueTimes;

    private ScheduleExpression(String text, DueTimes dueTimes) {
        this.text = text;
        this.dueTimes = dueTimes;
    }

    /** Parses an expression; a bad one is an {@link InvalidScheduleException} saying what is wrong. */
    public static ScheduleExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidScheduleException("empty schedule expression");
        }
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("none")) {
            return new ScheduleExpression(trimmed, new Once());
        }
        if (trimmed.startsWith("@")) {
            return new ScheduleExpression(trimmed, macro(trimmed));
        }
        String[] fields = trimmed.split("\\s+");
        if (fields.length == 5) {
            String withSecondZero = "0 " + String.join(" ", fields);
            return new ScheduleExpression(trimmed, cron(trimmed, SIX_FIELD_NAMES.subList(1, 6), withSecondZero));
        }
        if (fields.length == 6) {
            return new ScheduleExpression(trimmed, cron(trimmed, SIX_FIELD_NAMES, String.join(" ", fields)));
        }
        throw new InvalidScheduleException("cron expression '" + trimmed + "' has " + fields.length
                + (fields.length == 1 ? " field; " : " fields; ") + EXPECTED_FORMS);
    }

    /** A time zone by IANA id, or anything else {@link ZoneId#of} accepts; null or blank is UTC. */
    public static ZoneId zone(String id) {
        if (id == null || id.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException unknown) {
            throw new InvalidScheduleException(
                    "unknown time zone '" + id.trim() + "': use an IANA name such as Europe/Paris or UTC");
        }
    }

    /** The expression as written, trimmed. */
    public String text() {
        return text;
    }

    /** {@code none}: due once, at the anchor. */
    public boolean once() {
        return dueTimes instanceof Once;
    }

    /**
     * The first due time strictly after {@code after}; empty when there is none.
     *
     * @param zone   the wall clock cron expressions and macros are read on
     * @param anchor when the schedule was created: where {@code @every} counts from and when {@code none} is due
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone, Instant anchor) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(anchor, "anchor");
        return dueTimes.nextAfter(after, zone, anchor);
    }

    /** The next {@code count} due times strictly after {@code after} (fewer when the expression runs out). */
    public List<Instant> nextTimes(Instant after, ZoneId zone, Instant anchor, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<Instant> times = new ArrayList<>();
        Optional<Instant> next = nextAfter(after, zone, anchor);
        while (next.isPresent() && times.size() < count) {
            times.add(next.get());
            next = nextAfter(next.get(), zone, anchor);
        }
        return List.copyOf(times);
    }

    private static DueTimes macro(String text) {
        String[] nameAndRest = text.split("\\s+", 2);
        String name = nameAndRest[0].toLowerCase(Locale.ROOT);
        String rest = nameAndRest.length == 2 ? nameAndRest[1] : "";
        if (name.equals("@every")) {
            if (rest.isEmpty()) {
                throw new InvalidScheduleException("'" + text + "' needs a duration, such as '@every 1h30m'");
            }
            return new Every(everyPeriod(text, rest));
        }
        String sixFields = MACROS.get(name);
        if (sixFields == null) {
            throw new InvalidScheduleException(
                    "'" + nameAndRest[0] + "' is not a known macro; use one of " + KNOWN_MACROS);
        }
        if (!rest.isEmpty()) {
            throw new InvalidScheduleException("'" + text + "': " + nameAndRest[0] + " takes nothing after it");
        }
        return Cron.of(CronExpression.parse(sixFields)::next);
    }

    private static Duration everyPeriod(String text, String duration) {
        if (!DURATION.matcher(duration).matches()) {
            throw new InvalidScheduleException("'" + text + "' has an invalid duration '" + duration
                    + "': write numbers with the units h, m, s or ms, such as 1h30m, 90s, 1.5h or 500ms");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = DURATION_PART.matcher(duration);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(NANOS_PER_UNIT.get(part.group(2))));
        }
        if (nanos.signum() == 0) {
            throw new InvalidScheduleException("'" + text + "' has a zero duration: it must be positive");
        }
        if (duration.startsWith("-")) {
            throw new InvalidScheduleException("'" + text + "' has a negative duration: it must be positive");
        }
        if (nanos.compareTo(LONGEST_GO_DURATION_NANOS) > 0) {
            throw new InvalidScheduleException(
                    "'" + text + "' has a duration longer than the longest possible, 2562047h47m16s");
        }
        long seconds = nanos.divideToIntegralValue(NANOS_PER_UNIT.get("s")).longValueExact();
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    /**
     * @param fieldNames the names of the fields as the user wrote them, for messages
     * @param sixFields  the expression with seconds first, as Spring reads it
     */
    private static DueTimes cron(String text, List<String> fieldNames, String sixFields) {
        CronExpression cron;
        try {
            cron = CronExpression.parse(sixFields);
        } catch (IllegalArgumentException invalid) {
            throw new InvalidScheduleException(invalidFieldMessage(text, fieldNames, sixFields, invalid));
        }
        LocalTimes times = cron::next;
        String[] fields = sixFields.split(" ");
        if (restricted(fields[3]) && restricted(fields[5])) {
            // As robfig/cron and Vixie cron: with both day fields restricted, a day matches when either does.
            CronExpression byDayOfMonth = CronExpression.parse(withField(fields, 5, "*"));
            CronExpression byDayOfWeek = CronExpression.parse(withField(fields, 3, "*"));
            times = after -> earlier(byDayOfMonth.next(after), byDayOfWeek.next(after));
        }
        if (times.next(PROBE_START) == null) {
            throw new InvalidScheduleException("cron expression '" + text + "' never matches any date");
        }
        return Cron.of(times);
    }

    private static boolean restricted(String field) {
        return !field.equals("*") && !field.equals("?");
    }

    private static String withField(String[] fields, int index, String value) {
        String[] copy = fields.clone();
        copy[index] = value;
        return String.join(" ", copy);
    }

    private static LocalDateTime earlier(LocalDateTime a, LocalDateTime b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** Spring says what is wrong but not in which field: find the field by parsing each one alone. */
    private static String invalidFieldMessage(String text, List<String> fieldNames, String sixFields,
            IllegalArgumentException invalid) {
        String[] fields = sixFields.split(" ");
        int firstUserField = 6 - fieldNames.size();
        for (int i = firstUserField; i < 6; i++) {
            String[] alone = {"0", "0", "0", "*", "*", "*"};
            alone[i] = fields[i];
            try {
                CronExpression.parse(String.join(" ", alone));
            } catch (IllegalArgumentException invalidField) {
                return "cron expression '" + text + "' has an invalid " + fieldNames.get(i - firstUserField)
                        + " field '" + fields[i] + "': " + springReason(invalidField);
            }
        }
        return "cron expression '" + text + "' is invalid: " + springReason(invalid);
    }

    /** Spring's message without the expression it appends, which is in Spring's six-field form. */
    private static String springReason(IllegalArgumentException invalid) {
        return invalid.getMessage().replaceFirst(" in cron expression \".*\"$", "");
    }

    /** The fields of a cron expression are independent, so any day it matches shows which hours it fires in. */
    private static boolean firesEveryHour(LocalTimes cron) {
        LocalDateTime day = cron.next(PROBE_START).toLocalDate().atStartOfDay();
        for (int hour = 0; hour < 24; hour++) {
            LocalDateTime hourStart = day.plusHours(hour);
            LocalDateTime due = cron.next(hourStart.minusNanos(1));
            if (due == null || !due.isBefore(hourStart.plusHours(1))) {
                return false;
            }
        }
        return true;
    }

    /** The local date-times an expression matches: Spring's, or the earlier of two (both day fields restricted). */
    @FunctionalInterface
    private interface LocalTimes {
        LocalDateTime next(LocalDateTime after);
    }

    private interface DueTimes {
        Optional<Instant> nextAfter(Instant after, ZoneId zone, Instant anchor);
    }

    private record Once() implements DueTimes {
        @Override
        public Optional<Instant> nextAfter(Instant after, ZoneId zone, Instant anchor) {
            return anchor.isAfter(after) ? Optional.of(anchor) : Optional.empty();
        }
    }

    private record Every(Duration period) implements DueTimes {
        @Override
        public Optional<Instant> nextAfter(Instant after, ZoneId zone, Instant anchor) {
            Instant start = anchor.truncatedTo(ChronoUnit.SECONDS);
            long periodsElapsed = after.isBefore(start) ? 0 : Duration.between(start, after).dividedBy(period);
            return Optional.of(start.plus(period.multipliedBy(periodsElapsed + 1)));
        }
    }

    /** Spring matches local date-times only; the mapping to instants is the daylight-saving rule of the class doc. */
    private record Cron(LocalTimes cron, boolean onRealTime) implements DueTimes {
        static Cron of(LocalTimes cron) {
            return new Cron(cron, firesEveryHour(cron));
        }

        @Override
        public Optional<Instant> nextAfter(Instant after, ZoneId zone, Instant anchor) {
            return onRealTime ? nextOnRealTime(after, zone.getRules()) : nextOnWallClock(after, zone.getRules());
        }

        /** Each span of constant offset maps local times to instants one to one: search span after span. */
        private Optional<Instant> nextOnRealTime(Instant after, ZoneRules rules) {
            ZoneOffset offset = rules.getOffset(after);
            LocalDateTime searchAfter = LocalDateTime.ofInstant(after, offset);
            ZoneOffsetTransition spanEnd = rules.nextTransition(after);
            while (true) {
                LocalDateTime match = cron.next(searchAfter);
                if (match == null) {
                    return Optional.empty();
                }
                Instant due = match.toInstant(offset);
                if (spanEnd == null || due.isBefore(spanEnd.getInstant())) {
                    return Optional.of(due);
                }
                offset = spanEnd.getOffsetAfter();
                searchAfter = spanEnd.getDateTimeAfter().minusNanos(1);
                spanEnd = rules.nextTransition(spanEnd.getInstant());
            }
        }

        /**
         * Local times map to instants without ever going back: a time in a gap to the end of the gap, a time in an
         * overlap to its first occurrence. So the next match after the local time of {@code after} is the answer,
         * except during the repeat of an overlap, whose local times have had their turn.
         */
        private Optional<Instant> nextOnWallClock(Instant after, ZoneRules rules) {
            LocalDateTime searchAfter = LocalDateTime.ofInstant(after, rules.getOffset(after));
            ZoneOffsetTransition overlap = rules.getTransition(searchAfter);
            if (overlap != null && overlap.isOverlap() && rules.getOffset(after).equals(overlap.getOffsetAfter())) {
                searchAfter = overlap.getDateTimeBefore().minusNanos(1);
            }
            LocalDateTime match = cron.next(searchAfter);
            if (match == null) {
                return Optional.empty();
            }
            ZoneOffsetTransition gap = rules.getTransition(match);
            if (gap != null && gap.isGap()) {
                return Optional.of(gap.getInstant());
            }
            return Optional.of(match.toInstant(rules.getOffset(match)));
        }
    }
}
