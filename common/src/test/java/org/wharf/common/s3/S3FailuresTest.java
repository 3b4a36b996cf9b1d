package org.wharf.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.testsupport.SharedInfrastructure;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The store's answers sorted: what a retry would get again (4xx) against what may pass (network, 5xx, throttling). */
class S3FailuresTest {

    @Test
    void theStoresRefusalsArePermanent() {
        try (S3Client s3 = S3Clients.create(SharedInfrastructure.get().s3())) {
            Throwable noSuchKey = catchThrowable(() -> s3.getObjectAsBytes(b -> b.bucket(LocalInfrastructure.DEPOSITS_BUCKET)
                    .key("no/such/key")));
            Throwable noSuchBucket = catchThrowable(() -> s3.headBucket(b -> b.bucket("no-such-bucket")));
            assertThat(S3Failures.isPermanent(noSuchKey)).isTrue();
            assertThat(S3Failures.isPermanent(new IllegalStateException("wrapped", noSuchBucket))).isTrue();
            assertThat(S3Failures.reason("b", "k", noSuchKey)).isEqualTo("s3://b/k: not found (404 NoSuchKey)");
        }
        assertThat(S3Failures.isPermanent(answer(403, "AccessDenied"))).isTrue();
        assertThat(S3Failures.isPermanent(answer(400, "InvalidArgument"))).isTrue();
        assertThat(S3Failures.reason("b", "k", answer(403, "AccessDenied"))).isEqualTo("s3://b/k: access denied (403 AccessDenied)");
    }

    @Test
    void timeoutsConnectionsServerErrorsThrottlingAndOpenCircuitsAreTransient() {
        S3Properties nowhere = new S3Properties();
        nowhere.setEndpoint(URI.create("http://127.0.0.1:9"));
        nowhere.setAccessKey("a");
        nowhere.setSecretKey("b");
        nowhere.setPathStyle(true);
        try (S3Client s3 = S3Clients.create(nowhere)) {
            Throwable refused = catchThrowable(() -> s3.headBucket(b -> b.bucket("any")));
            assertThat(refused).isNotNull();
            assertThat(S3Failures.isPermanent(refused)).isFalse();
        }
        assertThat(S3Failures.isPermanent(answer(500, "InternalError"))).isFalse();
        assertThat(S3Failures.isPermanent(answer(503, "SlowDown"))).isFalse();
        assertThat(S3Failures.isPermanent(answer(429, "TooManyRequests"))).isFalse();
        assertThat(S3Failures.isPermanent(CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("open")))).isFalse();
        assertThat(S3Failures.isPermanent(new IllegalArgumentException("a bug, not the store"))).isFalse();
    }

    static S3Exception answer(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).message(code).build();
    }
}
