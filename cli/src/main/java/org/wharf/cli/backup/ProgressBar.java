package org.wharf.cli.backup;

import java.util.Locale;

/**
 * One line of a running backup's progress: bytes stored, rate, time, and a bar against the previous
 * backup's size when there is one (a dump's size is not known before it ends; the last one's is a good
 * guess, and the bar stops short of full until the backup has completed).
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private ProgressBar() {
    }

    static String line(long bytes, long elapsedMillis, Long expectedBytes) {
        double seconds = Math.max(elapsedMillis, 1) / 1000.0;
        String figures = human(bytes) + " stored, " + human((long) (bytes / seconds)) + "/s, " + Math.round(seconds) + " s";
        if (expectedBytes == null || expectedBytes <= 0) {
            return "  " + figures;
        }
        double fraction = Math.min(0.99, (double) bytes / expectedBytes);
        int filled = (int) (fraction * WIDTH); // rounded down: full only once completed
        return "  [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + String.format(Locale.ROOT, "%3d%%", Math.round(fraction * 100))
                + "  " + figures + " (last backup: " + human(expectedBytes) + ")";
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
