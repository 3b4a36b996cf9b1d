package org.wharf.common.util;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code ttl}: health probes and metric scrapes come often, and each
 * need not cost the broker or the database a round trip.
 */
public final class Cached<T> implements Supplier<T> {

    private final Supplier<T> source;
    private final Duration ttl;
    private final Clock clock;
    private T value;
    private Instant readAt;

    public Cached(Supplier<T> source, Duration ttl) {
        this(source, ttl, Clock.systemUTC());
    }

    Cached(Supplier<T> source, Duration ttl, Clock clock) {
        this.source = source;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized T get() {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(ttl))) {
            value = source.get();
            readAt = now;
        }
        return value;
    }
}
