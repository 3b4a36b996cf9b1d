package org.wharf.common.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.wharf.common.s3.S3Breaker;
import org.wharf.common.util.Cached;
import org.wharf.common.util.Reasons;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 store answers, for the services that use it ({@code wharf.health.s3}): down while the
 * service's breaker is open (its calls fail fast anyway), else after a bucket listing that gets no
 * answer or a 5xx. Any 4xx is an answer: a key that may not list buckets still reaches the store.
 */
public final class S3HealthIndicator implements HealthIndicator {

    private final S3Client s3;
    private final S3Breaker breaker;
    private final Cached<Health> health;

    public S3HealthIndicator(S3Client s3, S3Breaker breaker, Duration cacheFor) {
        this.s3 = s3;
        this.breaker = breaker;
        this.health = new Cached<>(this::check, cacheFor);
    }

    @Override
    public Health health() {
        return health.get();
    }

    private Health check() {
        CircuitBreaker.State state = breaker.state();
        if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
            return Health.down().withDetail("circuitBreaker", state.name()).build();
        }
        try {
            s3.listBuckets();
            return Health.up().withDetail("circuitBreaker", state.name()).build();
        } catch (S3Exception e) {
            Health.Builder answer = e.statusCode() >= 500 ? Health.down() : Health.up();
            return answer.withDetail("circuitBreaker", state.name()).withDetail("status", e.statusCode()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("circuitBreaker", state.name()).withDetail("reason", Reasons.of(e)).build();
        }
    }
}
