package org.wharf.backup.store;

import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which S3 failures are the store's final answer (access denied, no such bucket or key, a bad request:
 * a 4xx other than throttling and timeouts), to be answered as a failure with its reason rather than
 * retried; timeouts, connection failures, 5xx, throttling and an open circuit breaker stay transient.
 * The backup-service's own until {@code org.wharf.common.s3.S3Failures} (the shared classifier) lands:
 * then this class goes and its callers use that one.
 */
public final class PermanentS3Failures {

    private PermanentS3Failures() {
    }

    public static boolean isPermanent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof S3Exception s3) {
                int status = s3.statusCode();
                return status >= 400 && status < 500 && status != 408 && status != 429;
            }
        }
        return false;
    }
}
