package org.wharf.common.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A circuit breaker around a service's S3 work: when the store keeps failing (unreachable, 5xx), calls
 * fail fast for a while instead of each waiting for its own timeouts and retries. What fails here is
 * transient to the consumer (retried with backoff, never a verdict on the deposit); a missing object
 * (404) is an answer, not a failure of the store.
 */
public final class S3Breaker {

    private final CircuitBreaker breaker;

    public S3Breaker(String name) {
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(S3Breaker::storeFailure)
                .build());
    }

    public <T> T call(Callable<T> work) {
        try {
            return breaker.executeCallable(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return breaker.getName();
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    static boolean storeFailure(Throwable error) {
        if (error instanceof S3Exception s3) {
            return s3.statusCode() >= 500 || s3.statusCode() == 429;
        }
        return error instanceof SdkClientException || error instanceof IOException || error instanceof UncheckedIOException;
    }
}
