package org.wharf.common.metrics;

import java.util.Locale;

import org.wharf.common.s3.S3Breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The S3 breaker's state as one gauge per state, 1 for the current one and 0 for the others
 * ({@code wharf_circuit_breaker_state{name, state}}), as resilience4j's own binding shows it.
 */
public final class CircuitBreakerMetrics implements MeterBinder {

    private final S3Breaker breaker;

    public CircuitBreakerMetrics(S3Breaker breaker) {
        this.breaker = breaker;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("wharf.circuit.breaker.state", breaker, b -> b.state() == state ? 1 : 0)
                    .description("1 for the circuit breaker's current state, 0 for the others")
                    .tag("name", breaker.name()).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }
}
