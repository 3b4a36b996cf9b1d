package org.wharf.common.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.wharf.common.WharfAutoConfiguration;
import org.wharf.common.WharfProperties;
import org.wharf.common.outbox.OutboxBacklog;
import org.wharf.common.s3.S3Breaker;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The readiness checks every service gets besides Spring Boot's {@code db}: the broker, the outbox's
 * backlog and, where the service uses it, S3 (group {@code readiness} in {@code wharf-management.properties}).
 * A contributor's name is its bean's name without {@code HealthIndicator}.
 */
@AutoConfiguration(after = WharfAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public class WharfHealthAutoConfiguration {

    @Bean
    public BrokerHealthIndicator brokerHealthIndicator(KafkaAdmin kafkaAdmin, WharfProperties properties) {
        return new BrokerHealthIndicator(kafkaAdmin.getConfigurationProperties(), properties.getServiceName() + "-health",
                properties.getHealth().getBrokerTimeout(), properties.getHealth().getCacheFor());
    }

    @Bean
    public OutboxHealthIndicator outboxHealthIndicator(OutboxBacklog backlog, WharfProperties properties) {
        return new OutboxHealthIndicator(backlog, properties.getOutbox().getReadyMaxAge());
    }

    @Bean
    @ConditionalOnBooleanProperty("wharf.health.s3")
    public S3HealthIndicator s3HealthIndicator(S3Client s3, S3Breaker breaker, WharfProperties properties) {
        return new S3HealthIndicator(s3, breaker, properties.getHealth().getCacheFor());
    }
}
