package org.wharf.common.s3;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sorts S3 failures by what they are. The store's 4xx answers (access denied, no such bucket or key,
 * bad request) say something about the request and will say it again: they are permanent, an answer to
 * give to whoever asked. Timeouts, broken connections, 5xx, throttling (429, 503 SlowDown) and an open
 * circuit breaker say the store is unwell for now: they are transient, worth retrying.
 */
public final class S3Failures {

    private S3Failures() {
    }

    /** True if {@code error} (or one of its causes) is an S3 answer that a retry would get again. */
    public static boolean isPermanent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CallNotPermittedException || t instanceof SdkClientException
                    || t instanceof IOException || t instanceof UncheckedIOException) {
                return false;
            }
            if (t instanceof AwsServiceException service) {
                int status = service.statusCode();
                return status >= 400 && status < 500 && status != 408 && status != 429 && !service.isThrottlingException();
            }
            if (t instanceof SdkException) {
                return false;
            }
        }
        return false;
    }

    /** A one-line reason for a permanent failure, naming the object: "s3://b/k: access denied (403 AccessDenied)". */
    public static String reason(String bucket, String key, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException service) {
                String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
                return "s3://" + bucket + "/" + key + ": " + describe(service.statusCode()) + " ("
                        + service.statusCode() + (code == null ? "" : " " + code) + ")";
            }
        }
        return "s3://" + bucket + "/" + key + ": " + error.getClass().getSimpleName();
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "the store refused the request as invalid";
            case 401, 403 -> "access denied";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 409 -> "conflict";
            case 412 -> "precondition failed";
            case 416 -> "range not satisfiable";
            default -> "the store refused the request";
        };
    }
}
