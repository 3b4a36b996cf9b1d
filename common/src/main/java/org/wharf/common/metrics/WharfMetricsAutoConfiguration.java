package org.wharf.common.metrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.wharf.common.WharfAutoConfiguration;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.outbox.OutboxBacklog;
import org.wharf.common.outbox.OutboxRelay;
import org.wharf.common.s3.S3Breaker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The Wharf meters every service gets: jobs ended and their durations, the outbox's backlog, the S3
 * breaker's state (dead-lettered records and the consumers' lag are bound where the listener container
 * is built, in {@code consumer}). Spring Boot binds each {@link MeterBinder} to its registry.
 */
@AutoConfiguration(after = WharfAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
public class WharfMetricsAutoConfiguration {

    /** Counts the ends among the records the outbox is given: every record a service writes goes through it. */
    @Bean
    public MeterBinder jobMetrics(Outbox outbox) {
        return registry -> outbox.observe(new JobMetrics(registry));
    }

    @Bean
    public OutboxMetrics outboxMetrics(OutboxBacklog backlog, OutboxRelay relay) {
        return new OutboxMetrics(backlog, relay);
    }

    @Bean
    public CircuitBreakerMetrics circuitBreakerMetrics(S3Breaker breaker) {
        return new CircuitBreakerMetrics(breaker);
    }
}
