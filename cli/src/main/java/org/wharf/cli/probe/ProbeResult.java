package org.wharf.cli.probe;

import java.time.Duration;
import java.util.Locale;

/**
 * A probe's answer: {@code SERVICE STATE - text | perfdata}, one line, as monitoring plugins print it.
 * {@code perfData} is empty when there is nothing to graph.
 */
record ProbeResult(String service, PluginStatus status, String text, String perfData) {

    static ProbeResult of(String service, PluginStatus status, String text) {
        // no performance data: the check could not measure anything
        return new ProbeResult(service, status, text, "");
    }

    String line() {
        return service + " " + status + " - " + text + (perfData.isEmpty() ? "" : " | " + perfData);
    }

    /** A duration in seconds as the text shows it: {@code 3.2 s}. */
    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /** An age as people read it: {@code 3d 4h}, {@code 2h 5m}, {@code 4m 10s}, {@code 12s}. */
    static String age(Duration age) {
        long s = Math.max(0, age.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
    }

    /** One performance datum in seconds: {@code label=value s;warn;crit}, thresholds left out when null. */
    static String perfSeconds(String label, double value, Double warning, Double critical) {
        return label + "=" + String.format(Locale.ROOT, "%.3f", value) + "s;" + number(warning) + ";" + number(critical);
    }

    private static String number(Double value) {
        if (value == null) {
            return "";
        }
        return value == Math.rint(value) ? String.valueOf(value.longValue()) : String.format(Locale.ROOT, "%.3f", value);
    }
}
