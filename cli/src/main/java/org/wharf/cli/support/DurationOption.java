package org.wharf.cli.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;


/**
 * A duration option ({@code --timeout}, {@code --job-timeout}, {@code --since}, …): {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d} or
 * ISO-8601 ({@code PT10M}); every {@link Duration} option of the CLI is read so ({@link #converter}).
 */
public final class DurationOption {

    private static final Pattern SHORT = Pattern.compile("(\\d+)([smhd])");

    private DurationOption() {
    }

    public static long seconds(String option, String text) {
        Duration duration = parse(option, text);
        // The scheduler counts these in seconds: a fraction would be silently dropped, and zero or less
        // would skip every fire (a deadline) or release every job at once (a timeout), which nobody means.
        if (duration.isNegative() || duration.isZero() || duration.getNano() != 0) {
            throw invalid(option, text, "a whole number of seconds, at least 1s");
        }
        return duration.getSeconds();
    }

    /** {@code 2h}, {@code 90m}, {@code 45s}: the largest unit that divides the seconds, as the option is written. */
    public static String text(long seconds) {
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    public static Duration parse(String option, String text) {
        String t = text == null ? "" : text.trim();
        Matcher matcher = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw invalid(option, text, "a duration (try 90s, 10m, 1h or PT10M)");
        }
    }

    /** picocli's converter of every {@link Duration} option: a wrong one is a usage error naming what is wanted. */
    public static CommandLine.ITypeConverter<Duration> converter() {
        return text -> {
            try {
                return parse("duration", text);
            } catch (UsageException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (try 90s, 10m, 1h or PT10M)");
            }
        };
    }

    private static UsageException invalid(String option, String text, String wanted) {
        return new UsageException(option + " " + text + ": not " + wanted);
    }
}
