package org.wharf.common;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.archive.ArchiveLimits;
import org.wharf.common.consumer.ConsumerConfiguration;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.db.SchemaMigrations;
import org.wharf.common.inbox.Inbox;
import org.wharf.common.message.CommandDeadlines;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.outbox.OutboxBacklog;
import org.wharf.common.outbox.OutboxRelay;
import org.wharf.common.s3.S3Breaker;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.s3.S3Properties;
import org.wharf.common.timeout.ConfiguredDeadlines;
import org.wharf.common.timeout.PlatformChains;
import org.wharf.common.topic.Topic;
import org.wharf.common.topic.TopicCatalogConfiguration;
import org.wharf.common.topic.TopicProperties;
import org.wharf.common.util.SecretMaskingFilter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The plumbing every service gets by depending on {@code common}: topics, outbox, inbox, consumer, S3.
 * Transactions use Spring Boot's own {@link TransactionTemplate} over the service's DataSource.
 */
@AutoConfiguration
@EnableConfigurationProperties({WharfProperties.class, S3Properties.class})
@Import(TopicCatalogConfiguration.class)
@PropertySource("classpath:wharf-defaults.properties")
public class WharfAutoConfiguration {

    /** Secrets kept out of the service's logs (installed again by each context: logging set-up resets logback). */
    @Bean
    public SecretMaskingInstalled wharfSecretMasking() {
        SecretMaskingFilter.install();
        return new SecretMaskingInstalled();
    }

    /** The marker bean of {@link #wharfSecretMasking()}. */
    public record SecretMaskingInstalled() {
    }

    /** Idempotent producer, acks=all: the relay's and the dead-letter recoverer's only way to the broker. */
    @Bean
    public KafkaTemplate<String, byte[]> wharfKafkaTemplate(KafkaProperties kafkaProperties, WharfProperties properties,
                                                            ObjectProvider<MeterRegistry> meters) {
        Map<String, Object> producer = new HashMap<>(kafkaProperties.buildProducerProperties());
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, properties.getServiceName() + "-producer");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // The relay flushes each batch it sends (no hop waits for the linger); the linger lets a batch's records
        // go in a few requests rather than one each (linger 0 halved the pipeline's rate at 50 deposits/s, measured).
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        DefaultKafkaProducerFactory<String, byte[]> factory =
                new DefaultKafkaProducerFactory<>(producer, new StringSerializer(), new ByteArraySerializer());
        meters.ifAvailable(registry -> factory.addListener(new MicrometerProducerListener<>(registry)));
        return new KafkaTemplate<>(factory);
    }

    /**
     * The service's timeout chains, checked before anything starts: a service whose outer timeouts do
     * not exceed the inner ones would fail at the worst moment, so it does not start, and says which.
     */
    @Bean
    public PlatformChains.Checked timeoutChains(WharfProperties properties, Environment environment) {
        return PlatformChains.check(properties.getServiceName(), Binder.get(environment));
    }

    /**
     * The archive limits ({@code wharf.archive.*}), one set for the checker and the loader: an archive
     * the checker passed cannot exhaust the loader, and one sent straight to the loader is held to the same.
     */
    @Bean
    @ConditionalOnMissingBean
    public ArchiveLimits archiveLimits(Environment environment) {
        return ArchiveLimits.from(Binder.get(environment));
    }

    /** Common's migrations, in a history of their own, then the service's (no out-of-order history). */
    @Bean
    @ConditionalOnMissingBean
    public FlywayMigrationStrategy schemaMigrations() {
        return new SchemaMigrations();
    }

    /** The commands' default deadlines, as configured: what the outbox stamps, and what the scheduler's job timeouts default to. */
    @Bean
    @ConditionalOnMissingBean
    public CommandDeadlines commandDeadlines(Environment environment) {
        return ConfiguredDeadlines.from(environment);
    }

    @Bean
    public Outbox outbox(JdbcTemplate jdbc, WharfProperties properties, CommandDeadlines commandDeadlines) {
        if (properties.getServiceName() == null || properties.getServiceName().isBlank()) {
            throw new IllegalStateException("wharf.service-name is not set");
        }
        return new Outbox(jdbc, properties.source(), commandDeadlines);
    }

    @Bean
    public OutboxRelay outboxRelay(Outbox outbox, JdbcTemplate jdbc, TransactionTemplate transactionTemplate,
                                   KafkaTemplate<String, byte[]> wharfKafkaTemplate, WharfProperties properties,
                                   Inbox inbox, TopicProperties topics) {
        // An inbox row is needed only while the broker may still redeliver its record.
        Duration longestRetention = Arrays.stream(Topic.values())
                .map(topics::retentionOf).max(Comparator.naturalOrder()).orElseThrow();
        return new OutboxRelay(outbox, jdbc, transactionTemplate, wharfKafkaTemplate, properties.getOutbox(),
                inbox, longestRetention);
    }

    @Bean
    public OutboxBacklog outboxBacklog(JdbcTemplate jdbc) {
        return new OutboxBacklog(jdbc);
    }

    @Bean
    public Inbox inbox(JdbcTemplate jdbc) {
        return new Inbox(jdbc);
    }

    @Bean(destroyMethod = "close")
    public S3Client s3Client(S3Properties properties) {
        return S3Clients.create(properties);
    }

    @Bean
    public S3Breaker s3Breaker(WharfProperties properties) {
        return new S3Breaker(properties.getServiceName() + "-s3");
    }

    @Bean
    @ConditionalOnBean(Subscriptions.class)
    public ConcurrentMessageListenerContainer<String, byte[]> wharfListenerContainer(
            Subscriptions subscriptions, KafkaProperties kafkaProperties, WharfProperties properties, Inbox inbox,
            Outbox outbox, TransactionTemplate transactionTemplate, KafkaTemplate<String, byte[]> wharfKafkaTemplate,
            ObjectProvider<MeterRegistry> meters) {
        return ConsumerConfiguration.container(subscriptions, kafkaProperties.buildConsumerProperties(), properties,
                inbox, outbox, transactionTemplate, wharfKafkaTemplate, meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
