package org.wharf.deploy.ssh;

import java.time.Duration;
import java.util.Locale;

/**
 * How one remote command ended: its exit status (absent when it timed out or died of a signal), the signal
 * that ended it if any, how long it ran, and the last bytes of its standard output and standard error
 * together ({@code outputBytes} counts all of them; {@code outputTruncated} says the tail is not all of it).
 */
public record CommandResult(Integer exitStatus, String exitSignal, boolean timedOut, Duration duration,
                            String outputTail, long outputBytes, boolean outputTruncated) {

    public boolean succeeded() {
        return !timedOut && exitStatus != null && exitStatus == 0;
    }

    /** One line: {@code exit 0}, {@code exit 3}, {@code killed by KILL}, {@code timed out after 5.0s}. */
    public String outcome() {
        if (timedOut) {
            long millis = duration.toMillis();
            return "timed out after " + (millis < 10_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0) : millis / 1000 + "s");
        }
        if (exitStatus != null) {
            return "exit " + exitStatus;
        }
        return exitSignal != null ? "killed by " + exitSignal : "ended without an exit status";
    }
}
