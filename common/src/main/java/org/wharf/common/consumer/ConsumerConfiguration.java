package org.wharf.common.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;
import org.wharf.common.WharfProperties;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.envelope.UnreadableRecordException;
import org.wharf.common.logging.RecordContext;
import org.wharf.common.inbox.Inbox;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.s3.S3Failures;
import org.wharf.common.util.Reasons;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Builds a service's listener container: one consumer group per service, records handed to the
 * {@link Dispatcher}, failures sorted three ways. Unreadable records go straight to {@code <topic>-dlt}
 * with the reason in headers; transient failures (database, S3, I/O) retry with backoff for as long as
 * it takes, so nothing is lost while a dependency is down; anything else retries a few times, then
 * goes to the dead-letter topic, and the consumer carries on.
 */
public final class ConsumerConfiguration {

    /** Header with the one-line reason a record was dead-lettered (besides spring-kafka's own). */
    public static final String DEAD_LETTER_REASON = "wharf_dlt_reason";

    private static final Logger log = LoggerFactory.getLogger(ConsumerConfiguration.class);

    private ConsumerConfiguration() {
    }

    public static ConcurrentMessageListenerContainer<String, byte[]> container(
            Subscriptions subscriptions, Map<String, Object> kafkaConsumerProperties, WharfProperties properties,
            Inbox inbox, Outbox outbox, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
        Map<String, Object> consumer = new HashMap<>(kafkaConsumerProperties);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, properties.getServiceName());
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.getServiceName());
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(consumer,
                new StringDeserializer(), new ByteArrayDeserializer());
        // The consumer's own metrics (records-lag-max: kafka_consumer_fetch_manager_records_lag_max, per partition
        // records-lag) on the management port.
        factory.addListener(new MicrometerConsumerListener<>(meters));

        ContainerProperties containerProperties = new ContainerProperties(subscriptions.topics().toArray(String[]::new));
        containerProperties.setAckMode(ContainerProperties.AckMode.RECORD);
        containerProperties.setMessageListener(new Dispatcher(subscriptions, inbox, outbox, tx));
        ConcurrentMessageListenerContainer<String, byte[]> container =
                new ConcurrentMessageListenerContainer<>(factory, containerProperties);
        container.setConcurrency(properties.getConsumer().getConcurrency());
        container.setCommonErrorHandler(errorHandler(kafka, properties.getConsumer(), meters));
        container.setBeanName(properties.getServiceName() + "-listener");
        return container;
    }

    /** Records given up on and sent to their dead-letter topic, by source topic. */
    public static final String DEAD_LETTERED = "wharf.dead.lettered";

    static DefaultErrorHandler errorHandler(KafkaTemplate<String, byte[]> kafka, WharfProperties.Consumer settings,
                                            MeterRegistry meters) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(kafka);
        recoverer.setHeadersFunction((record, error) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader(DEAD_LETTER_REASON, Reasons.of(error).getBytes(StandardCharsets.UTF_8)));
            return headers;
        });
        ExponentialBackOff transientBackOff = new ExponentialBackOff(
                settings.getRetryInitialInterval().toMillis(), 2.0);
        transientBackOff.setMaxInterval(settings.getRetryMaxInterval().toMillis());
        BackOff unexpectedBackOff = new FixedBackOff(settings.getRetryInitialInterval().toMillis(),
                Math.max(0, settings.getUnexpectedFailureAttempts() - 1));
        // The constructor's back-off must allow retries: with one that allows none, spring-kafka never
        // consults the back-off function and dead-letters every failure at once.
        DefaultErrorHandler handler = new DefaultErrorHandler((record, error) -> {
            try (RecordContext context = contextOf(record)) {
                log.warn("{}-{}@{}: sent to {}-dlt: {}", record.topic(), record.partition(), record.offset(),
                        record.topic(), Reasons.of(error));
                recoverer.accept(record, error);
            }
            Counter.builder(DEAD_LETTERED).description("Records sent to their dead-letter topic, by source topic")
                    .baseUnit("records").tag("topic", record.topic()).register(meters).increment();
        }, transientBackOff);
        handler.setBackOffFunction((record, error) -> {
            if (isTransient(error)) {
                try (RecordContext context = contextOf(record)) {
                    log.warn("{}-{}@{}: transient failure, will retry: {}", record.topic(), record.partition(),
                            record.offset(), Reasons.of(error));
                }
                return transientBackOff;
            }
            return unexpectedBackOff;
        });
        handler.addNotRetryableExceptions(UnreadableRecordException.class);
        return handler;
    }

    /** The record's ids in the log lines about it; none for a record whose envelope cannot be read. */
    @SuppressWarnings("unchecked")
    private static RecordContext contextOf(ConsumerRecord<?, ?> record) {
        try {
            return RecordContext.enter(KafkaBinding.fromRecord((ConsumerRecord<String, byte[]>) record));
        } catch (RuntimeException unreadable) {
            return RecordContext.enter(null);
        }
    }

    /**
     * Failures of a dependency (database, S3, disk, network), as opposed to bad input or a bug. An S3 answer
     * that a retry would get again (4xx: access denied, no such bucket) is not one of them. A handler that
     * answers failures itself throws these again instead, for the consumer to retry.
     */
    public static boolean isTransient(Throwable error) {
        if (S3Failures.isPermanent(error)) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnreadableRecordException) {
                return false;
            }
            if (t instanceof RetryLater || t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof SdkException || t instanceof IOException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }

}
