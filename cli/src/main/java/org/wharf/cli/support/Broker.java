package org.wharf.cli.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.kafka.KafkaSecurity;
import org.wharf.common.message.CommandDeadlines;
import org.wharf.common.message.MessageType;
import org.wharf.common.topic.Topic;

/**
 * The CLI's use of Kafka: publish a command to its topic, and read records back. The CLI never writes
 * {@code wharf.audit}: the service that consumes a command writes its copy there, so that whoever may
 * send a command cannot also forge the audit trail (the broker's ACLs, {@code AclPlan}, enforce it).
 */
public final class Broker {

    public static final String SOURCE = "/wharf/cli";
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(15);

    /** How long a command waits for the service to take it (its first answer: started, taken or refused). */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final KafkaSecurity security;

    public Broker(String bootstrapServers, KafkaSecurity security) {
        this.bootstrapServers = bootstrapServers;
        this.security = security;
    }

    /** Fails with a usage error, within {@code timeout}, unless the broker answers (a probe's first question). */
    public void requireReachable(Duration timeout) {
        Map<String, Object> config = new HashMap<>(security.clientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new UsageException("cannot reach the broker at " + bootstrapServers + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while reaching the broker at " + bootstrapServers);
        }
    }

    /** Publishes a first record of the correlation {@code correlationId} (null: the record's own id). */
    public <T> Envelope publish(MessageType<T> type, String key, T payload, String actor, String correlationId) {
        Envelope first = Envelope.first(SOURCE, type.type(), key, actor, correlationId, type.write(payload));
        // Every command carries a deadline: its type's, as every sender sets it.
        Envelope envelope = type.topic().kind() == Topic.Kind.COMMANDS
                ? first.withDeadline(CommandDeadlines.builtIn().deadline(type.type(), first.time())) : first;
        Map<String, Object> config = new HashMap<>(security.clientProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) METADATA_TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0); // one record, sent at once (Kafka 4's default waits 5 ms for more)
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(KafkaBinding.toRecord(type.topic().topicName(), key, envelope)).get();
        } catch (ExecutionException e) {
            throw new UsageException("could not publish to " + type.topic().topicName() + " at " + bootstrapServers + ": "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while publishing to " + type.topic().topicName());
        } catch (KafkaException e) {
            throw new UsageException("could not publish to the broker at " + bootstrapServers + ": " + e.getMessage());
        }
        return envelope;
    }

    /**
     * Publishes a command and waits for the record on {@code answers} that it caused (the service's
     * answer: an event, or a refusal). A service that does not answer in time is a connection error.
     */
    public <T> Envelope request(MessageType<T> type, String key, T payload, String actor, String correlationId,
                                Topic answers, Duration timeout, String service) {
        Instant sentAt = Instant.now();
        Envelope sent = publish(type, key, payload, actor, correlationId);
        Envelope[] answer = new Envelope[1];
        try {
            follow(List.of(answers.topicName()), sentAt.minusSeconds(5), Instant.now().plus(timeout), record -> {
                Envelope e = envelopeOrNull(record);
                if (e != null && sent.id().equals(e.causationId())) {
                    answer[0] = e;
                    return false;
                }
                return true;
            });
        } catch (WaitTimeoutException e) {
            throw new UsageException("no answer from the " + service + " within " + timeout + " (is it running?)");
        }
        return answer[0];
    }

    /** Every record of {@code key} now on {@code topics} (only the key's partition is read). */
    public List<ConsumerRecord<String, byte[]>> recordsOfKey(List<Topic> topics, String key) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic topic : topics) {
                partitions.add(new TopicPartition(topic.topicName(), partitionOf(consumer, topic.topicName(), key)));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            readToEnd(consumer, partitions, record -> {
                if (key.equals(record.key())) {
                    records.add(record);
                }
                return true;
            });
            return records;
        }
    }

    /**
     * Reads {@code topic} from {@code since} (null: from the start); hands each record to {@code sink}
     * until it returns false, or until the end when not following, or until {@code deadline}.
     */
    public void read(String topic, Instant since, boolean follow, Instant deadline,
                     Predicate<ConsumerRecord<String, byte[]>> sink) {
        read(List.of(topic), since, follow, deadline, sink);
    }

    /** {@link #read(String, Instant, boolean, Instant, Predicate)} over several topics at once. */
    public void read(List<String> topics, Instant since, boolean follow, Instant deadline,
                     Predicate<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            consumer.assign(partitions);
            seek(consumer, partitions, since);
            if (!follow) {
                readToEnd(consumer, partitions, sink);
                return;
            }
            while (deadline == null || Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!sink.test(record)) {
                        return;
                    }
                }
            }
        }
    }

    /** Follows several topics at once from their current ends (or {@code since}); see {@link #read}. */
    public void follow(List<String> topics, Instant since, Instant deadline, Predicate<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            consumer.assign(partitions);
            seek(consumer, partitions, since);
            while (deadline == null || Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!sink.test(record)) {
                        return;
                    }
                }
            }
            throw new WaitTimeoutException();
        }
    }

    /** Thrown by {@link #follow} when its deadline passes. */
    public static final class WaitTimeoutException extends RuntimeException {
        WaitTimeoutException() {
            super("gave up waiting");
        }
    }

    private static void seek(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, Instant since) {
        if (since == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        // The ends are read before the times are looked up: a record appended in between has an offset
        // at or after the end read, so it is never skipped (seekToEnd would be resolved later, racily).
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, METADATA_TIMEOUT);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            consumer.seek(partition, offset != null ? Math.min(offset.offset(), ends.get(partition)) : ends.get(partition));
        }
    }

    private static void readToEnd(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                                  Predicate<ConsumerRecord<String, byte[]>> sink) {
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, METADATA_TIMEOUT));
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), METADATA_TIMEOUT) < e.getValue())) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (!sink.test(record)) {
                    return;
                }
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            partitions.addAll(partitions(consumer, topic));
        }
        return partitions;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        } catch (KafkaException e) {
            throw new UsageException("cannot reach the broker at " + bootstrapServers + ": " + e.getMessage());
        }
        if (infos == null || infos.isEmpty()) {
            throw new UsageException("topic " + topic + " does not exist on " + bootstrapServers + " (are the services running?)");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** The partition the default partitioner gives a keyed record, so a key's history is one partition's read. */
    private int partitionOf(KafkaConsumer<String, byte[]> consumer, String topic, String key) {
        int count = partitions(consumer, topic).size();
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % count;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(security.clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) METADATA_TIMEOUT.toMillis());
        return new Reader(config);
    }

    /**
     * The CLI's consumers only read (assigned partitions, no group, no offsets to commit), so closing one need
     * not wait for the fetch the broker is holding open (up to fetch.max.wait.ms, 500 ms): every command that
     * read the topics waited that out before it could exit (bench/DepositBenchmark, "answer+exit").
     */
    private static final class Reader extends KafkaConsumer<String, byte[]> {
        Reader(Map<String, Object> config) {
            super(config, new StringDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public void close() {
            close(Duration.ZERO);
        }
    }

    public static Envelope envelopeOrNull(ConsumerRecord<String, byte[]> record) {
        try {
            return KafkaBinding.fromRecord(record);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
