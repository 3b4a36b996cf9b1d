package org.wharf.common.s3;

import java.net.URI;

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

    @Override
    public String toString() {
        // Never print the secret.
        return "S3Properties[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + "]";
    }
}
