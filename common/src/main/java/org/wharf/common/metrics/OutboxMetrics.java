package org.wharf.common.metrics;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wharf.common.outbox.OutboxBacklog;
import org.wharf.common.outbox.OutboxRelay;
import org.wharf.common.util.Cached;
import org.wharf.common.util.Reasons;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The outbox's backlog as gauges ({@code wharf_outbox_backlog_records}, {@code wharf_outbox_oldest_age_seconds}),
 * read from the table at most once a second whatever the number of scrapes, and the records the relay
 * parked ({@code wharf_outbox_parked_records_total}). While the database cannot be read, the gauges are NaN.
 */
public final class OutboxMetrics implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(OutboxMetrics.class);
    private static final OutboxBacklog.Backlog UNKNOWN = new OutboxBacklog.Backlog(-1, Duration.ofSeconds(-1));

    private final Cached<OutboxBacklog.Backlog> reading;
    private final OutboxRelay relay;

    public OutboxMetrics(OutboxBacklog backlog, OutboxRelay relay) {
        this.relay = relay;
        this.reading = new Cached<>(() -> {
            try {
                return backlog.read();
            } catch (RuntimeException e) {
                log.debug("outbox backlog not readable: {}", Reasons.of(e));
                return UNKNOWN;
            }
        }, Duration.ofSeconds(1));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("wharf.outbox.backlog", reading, r -> known(r.get().records()))
                .description("Outbox records not yet published (neither sent nor parked)").baseUnit("records")
                .register(registry);
        Gauge.builder("wharf.outbox.oldest.age", reading, r -> known(r.get().oldestAge().toMillis() / 1000.0))
                .description("How long the oldest unpublished outbox record has waited").baseUnit("seconds")
                .register(registry);
        FunctionCounter.builder("wharf.outbox.parked", relay, OutboxRelay::parkedCount)
                .description("Outbox records the broker refused for good, parked by this relay since it started")
                .baseUnit("records").register(registry);
    }

    private static double known(double value) {
        return value < 0 ? Double.NaN : value;
    }
}
