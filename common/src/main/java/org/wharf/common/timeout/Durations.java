package org.wharf.common.timeout;

import java.time.Duration;

/** Durations as operators write them in configuration: {@code 6h}, {@code 1h30m}, {@code 10m}, {@code 45s}, {@code 300ms}. */
public final class Durations {

    private Durations() {
    }

    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (duration.isNegative()) {
            out.append('-');
            duration = duration.negated();
        }
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        int millis = duration.toMillisPart();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        if (millis > 0) {
            out.append(millis).append("ms");
        }
        return out.toString();
    }
}
