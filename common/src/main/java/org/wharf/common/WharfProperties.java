package org.wharf.common;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** What every service configures the same way ({@code wharf.*}). */
@ConfigurationProperties("wharf")
public class WharfProperties {

    /** The service's name: consumer group, Kafka client id, and {@code ce_source} ({@code /wharf/<name>}). */
    private String serviceName;
    private final Outbox outbox = new Outbox();
    private final Consumer consumer = new Consumer();
    private final Health health = new Health();

    public String source() {
        return "/wharf/" + serviceName;
    }

    public String getServiceName() {
        return serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Consumer getConsumer() {
        return consumer;
    }

    public Health getHealth() {
        return health;
    }

    public static class Outbox {
        /** Off only in tests that need a record committed but not yet published. */
        private boolean relayEnabled = true;
        /** How long the relay sleeps when nothing was appended (an append wakes it at once). */
        private Duration pollInterval = Duration.ofMillis(500);
        private int batchSize = 500;
        /** How long the relay waits for the broker's acknowledgements of one batch. */
        private Duration sendTimeout = Duration.ofSeconds(30);
        /** Sent rows are kept this long (for inspection), then deleted. */
        private Duration sentRetention = Duration.ofDays(7);
        /**
         * The service is not ready while its oldest unsent record is older than this: its news is not
         * reaching the broker, whatever the broker's own health says.
         */
        private Duration readyMaxAge = Duration.ofSeconds(60);

        public boolean isRelayEnabled() {
            return relayEnabled;
        }

        public void setRelayEnabled(boolean relayEnabled) {
            this.relayEnabled = relayEnabled;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getSendTimeout() {
            return sendTimeout;
        }

        public void setSendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
        }

        public Duration getSentRetention() {
            return sentRetention;
        }

        public void setSentRetention(Duration sentRetention) {
            this.sentRetention = sentRetention;
        }

        public Duration getReadyMaxAge() {
            return readyMaxAge;
        }

        public void setReadyMaxAge(Duration readyMaxAge) {
            this.readyMaxAge = readyMaxAge;
        }
    }

    public static class Consumer {
        /** Listener threads per service instance; the partition count bounds useful parallelism. */
        private int concurrency = 1;
        /** First and longest pause between retries of a transient failure (database, S3, broker down). */
        private Duration retryInitialInterval = Duration.ofMillis(500);
        private Duration retryMaxInterval = Duration.ofSeconds(30);
        /** Attempts for an unexpected failure before its record goes to the dead-letter topic. */
        private int unexpectedFailureAttempts = 5;

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public Duration getRetryInitialInterval() {
            return retryInitialInterval;
        }

        public void setRetryInitialInterval(Duration retryInitialInterval) {
            this.retryInitialInterval = retryInitialInterval;
        }

        public Duration getRetryMaxInterval() {
            return retryMaxInterval;
        }

        public void setRetryMaxInterval(Duration retryMaxInterval) {
            this.retryMaxInterval = retryMaxInterval;
        }

        public int getUnexpectedFailureAttempts() {
            return unexpectedFailureAttempts;
        }

        public void setUnexpectedFailureAttempts(int unexpectedFailureAttempts) {
            this.unexpectedFailureAttempts = unexpectedFailureAttempts;
        }
    }

    /** The readiness checks of the management port ({@code /actuator/health/readiness}). */
    public static class Health {
        /** How long the broker check waits for the cluster's description before calling the broker down. */
        private Duration brokerTimeout = Duration.ofSeconds(3);
        /** How long one broker or S3 check's answer is reused: probes and scrapes do not each ask the broker or the store. */
        private Duration cacheFor = Duration.ofSeconds(5);
        /** Whether readiness includes the S3 store: on in the services that use it (checker, loader, backup). */
        private boolean s3;

        public Duration getBrokerTimeout() {
            return brokerTimeout;
        }

        public void setBrokerTimeout(Duration brokerTimeout) {
            this.brokerTimeout = brokerTimeout;
        }

        public Duration getCacheFor() {
            return cacheFor;
        }

        public void setCacheFor(Duration cacheFor) {
            this.cacheFor = cacheFor;
        }

        public boolean isS3() {
            return s3;
        }

        public void setS3(boolean s3) {
            this.s3 = s3;
        }
    }
}
