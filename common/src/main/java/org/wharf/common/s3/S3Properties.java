package org.wharf.common.s3;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the S3-protocol store is ({@code wharf.s3.*}). Credentials come from configuration or the
 * environment; when none are given the AWS SDK's default chain is used (instance roles and so on).
 */
@ConfigurationProperties("wharf.s3")
public class S3Properties {

    /** Empty for AWS itself; the URL of MinIO, s3proxy, Ceph... otherwise. */
    private URI endpoint;
    private String region = "us-east-1";
    private String accessKey;
    private String secretKey;
    private boolean pathStyle = true;
    /**
     * How long one attempt of one request may take (the SDK's apiCallAttemptTimeout), a part upload
     * included: 2 minutes carries a 128 MiB part (the largest a backup reaches below 256 GB) at 1.1 MB/s.
     */
    private Duration attemptTimeout = Duration.ofMinutes(2);
    /** Attempts per request, the first included: retried are timeouts, connection failures, 5xx and throttling. */
    private int maxAttempts = 3;

    public URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public boolean isPathStyle() {
        return pathStyle;
    }

    public void setPathStyle(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }

    public Duration getAttemptTimeout() {
        return attemptTimeout;
    }

    public void setAttemptTimeout(Duration attemptTimeout) {
        this.attemptTimeout = attemptTimeout;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** Refuses what would leave a request without a bound: the timeout chains count on these. */
    public void validate() {
        if (attemptTimeout == null || attemptTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException("wharf.s3.attempt-timeout must be at least 1s");
        }
        if (maxAttempts < 1) {
            throw new IllegalStateException("wharf.s3.max-attempts must be at least 1 (the first attempt counts)");
        }
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "S3Properties[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + ", attemptTimeout="
                + attemptTimeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
