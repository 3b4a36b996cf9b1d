package org.wharf.common.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.message.MessageType;

/** What a test needs of the broker: put records on a topic, and read what landed on one. */
public final class KafkaTestClient implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    public static KafkaTestClient shared() {
        return new KafkaTestClient(SharedInfrastructure.get().bootstrapServers());
    }

    /** A first record of a new correlation, as an operator would send it. */
    public <T> Envelope send(MessageType<T> type, String key, T payload) {
        Envelope envelope = Envelope.first("/wharf/test", type.type(), key, "test", type.write(payload));
        send(type.topic().topicName(), key, envelope);
        return envelope;
    }

    public void send(String topic, String key, Envelope envelope) {
        send(KafkaBinding.toRecord(topic, key, envelope));
    }

    public void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + record.topic(), e);
        }
    }

    /** Waits until {@code count} records matching {@code filter} are on {@code topic}; fails after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> await(String topic, Predicate<ConsumerRecord<String, byte[]>> filter,
                                                      int count, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = read(topic, filter, count, timeout);
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " matching records on " + topic + " within " + timeout
                    + ", found " + found.size());
        }
        return found;
    }

    /** Reads matching records from the start of {@code topic} until {@code count} are found or the time is up. */
    public List<ConsumerRecord<String, byte[]>> read(String topic, Predicate<ConsumerRecord<String, byte[]>> filter,
                                                     int count, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (filter.test(record)) {
                        found.add(record);
                    }
                }
            }
            return found;
        }
    }

    /** Every matching record now on {@code topic}, after giving late ones {@code grace} to arrive. */
    public List<ConsumerRecord<String, byte[]>> all(String topic, Predicate<ConsumerRecord<String, byte[]>> filter,
                                                    Duration grace) {
        return read(topic, filter, Integer.MAX_VALUE, grace);
    }

    public static Predicate<ConsumerRecord<String, byte[]>> withKey(String key) {
        return record -> key.equals(record.key());
    }

    public static Predicate<ConsumerRecord<String, byte[]>> ofType(MessageType<?> type) {
        return record -> type.type().equals(KafkaBinding.get(record.headers(), KafkaBinding.TYPE));
    }

    public static Envelope envelope(ConsumerRecord<String, byte[]> record) {
        return KafkaBinding.fromRecord(record);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
