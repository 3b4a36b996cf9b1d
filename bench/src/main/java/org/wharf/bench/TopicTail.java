package org.wharf.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A reader of a topic from its end, ready before a benchmark's clock starts: the figure is Wharf's, not the harness's. */
final class TopicTail {

    private TopicTail() {
    }

    /** Waits (up to 2 minutes) for the service to have created {@code topic}, then positions a reader at its end. */
    static KafkaConsumer<String, byte[]> atEnd(String bootstrapServers, String topic, String service) {
        return atEnd(bootstrapServers, List.of(topic), service);
    }

    /** {@link #atEnd(String, String, String)} for several topics read by one reader. */
    static KafkaConsumer<String, byte[]> atEnd(String bootstrapServers, List<String> topics, String service) {
        KafkaConsumer<String, byte[]> events = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            // The service creates its topics as it starts.
            while (events.partitionsFor(topic).isEmpty()) {
                if (System.nanoTime() > until) {
                    events.close();
                    throw new IllegalStateException("the " + service + " did not create " + topic + " within 2 minutes");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    events.close();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            events.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        events.assign(partitions);
        events.seekToEnd(partitions);
        partitions.forEach(events::position); // resolve the end offsets now, not after the send
        return events;
    }
}
