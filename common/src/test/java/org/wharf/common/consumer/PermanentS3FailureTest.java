package org.wharf.common.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** An S3 answer a retry would get again is not retried as a transient failure; the store being unwell is. */
class PermanentS3FailureTest {

    @Test
    void accessDeniedIsNotTransientAndAServerErrorIs() {
        assertThat(ConsumerConfiguration.isTransient(answer(403, "AccessDenied"))).isFalse();
        assertThat(ConsumerConfiguration.isTransient(new IllegalStateException(answer(404, "NoSuchBucket")))).isFalse();
        assertThat(ConsumerConfiguration.isTransient(answer(503, "SlowDown"))).isTrue();
        assertThat(ConsumerConfiguration.isTransient(SdkClientException.create("connection refused"))).isTrue();
        assertThat(ConsumerConfiguration.isTransient(new UncheckedIOException(new IOException("reset")))).isTrue();
    }

    private static S3Exception answer(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).message(code).build();
    }
}
