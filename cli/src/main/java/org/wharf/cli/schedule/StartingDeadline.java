package org.wharf.cli.schedule;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.wharf.cli.support.UsageException;

/** {@code --starting-deadline}: {@code 90s}, {@code 10m}, {@code 1h} or ISO-8601 ({@code PT10M}), sent as whole seconds. */
final class StartingDeadline {

    private static final Pattern SHORT = Pattern.compile("(\\d+)([smh])");

    private StartingDeadline() {
    }

    static long seconds(String text) {
        Duration duration = parse(text);
        // The scheduler counts the deadline in seconds: a fraction would be silently dropped, and zero
        // or less would skip every fire, which nobody means.
        if (duration.isNegative() || duration.isZero() || duration.getNano() != 0) {
            throw invalid(text, "a whole number of seconds, at least 1s");
        }
        return duration.getSeconds();
    }

    private static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher matcher = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw invalid(text, "a duration (try 90s, 10m, 1h or PT10M)");
        }
    }

    private static UsageException invalid(String text, String wanted) {
        return new UsageException("--starting-deadline " + text + ": not " + wanted);
    }
}
