package org.wharf.common.timeout;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.wharf.common.config.ConfigurationRefused;

/**
 * The runbook's rule, "top timeout greater than the sum of the dependent timeouts including the
 * retries": {@code origin} gives up on {@code target} after {@code outer} ({@code outerName}: a
 * deadline, {@code max.poll.interval.ms}, {@code --wait}), which must exceed the sum of its links'
 * totals, or the outer side gives up on work that is still within its own limits.
 */
public record TimeoutChain(String id, String origin, String target, String outerName, Duration outer, List<TimeoutLink> links) {

    public TimeoutChain {
        links = List.copyOf(links);
    }

    public Duration innerTotal() {
        return links.stream().map(TimeoutLink::total).reduce(Duration.ZERO, Duration::plus);
    }

    public boolean holds() {
        return outer.compareTo(innerTotal()) > 0;
    }

    /**
     * The chain in one line, e.g. {@code timeout chain backup.run-backup: deadline 6h must exceed pg_dump
     * lock wait 1h + S3 3 attempts × 10m = 30m (= 1h30m)}.
     */
    public String line() {
        String inner = links.stream().map(TimeoutLink::describe).collect(Collectors.joining(" + "));
        // One link already says its total (describe); the sum is for more than one.
        String sum = links.size() > 1 ? " (= " + Durations.format(innerTotal()) + ")" : "";
        return "timeout chain " + id + ": " + outerName + " " + Durations.format(outer) + " must exceed " + inner + sum;
    }

    /** Throws with {@link #line()} when the chain does not hold. */
    public void check() {
        if (!holds()) {
            throw new TimeoutChainException(this);
        }
    }

    /** Thrown at start-up by a chain that does not hold: its message is the chain's one line. */
    public static final class TimeoutChainException extends ConfigurationRefused {
        private final transient TimeoutChain chain;

        public TimeoutChainException(TimeoutChain chain) {
            super(chain.line(), "Raise the outer timeout or lower the inner ones (wharf config check prints every chain; see the README, \"Timeouts\").");
            this.chain = chain;
        }

        public TimeoutChain chain() {
            return chain;
        }
    }
}
