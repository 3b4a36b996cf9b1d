package org.wharf.common.timeout;

import java.time.Duration;

/**
 * One dependency of a timeout chain: {@code origin} waits for {@code target}, each attempt at most
 * {@code timeout}, {@code retries} times more after the first, with {@code backoff} between attempts.
 *
 * @param id what it is, in the chain's line ({@code pg_dump lock wait}, {@code S3})
 */
public record TimeoutLink(String id, String origin, String target, int retries, Duration timeout, Duration backoff) {

    public TimeoutLink {
        if (retries < 0) {
            throw new IllegalArgumentException(id + ": retries must not be negative");
        }
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException(id + ": a timeout must be a duration of zero or more");
        }
        backoff = backoff == null ? Duration.ZERO : backoff;
    }

    public TimeoutLink(String id, String origin, String target, int retries, Duration timeout) {
        this(id, origin, target, retries, timeout, Duration.ZERO);
    }

    public int attempts() {
        return retries + 1;
    }

    /** The longest this dependency can take: every attempt timing out, and the waits between them. */
    public Duration total() {
        return timeout.multipliedBy(attempts()).plus(backoff.multipliedBy(retries));
    }

    /** As the chain's line names it: {@code pg_dump lock wait 1h}, {@code S3 3 attempts × 10m = 30m}. */
    public String describe() {
        if (retries == 0 && backoff.isZero()) {
            return id + " " + Durations.format(timeout);
        }
        String backoffs = backoff.isZero() ? "" : " + " + retries + " × " + Durations.format(backoff) + " backoff";
        return id + " " + attempts() + " attempts × " + Durations.format(timeout) + backoffs + " = " + Durations.format(total());
    }
}
