package org.wharf.bench;

import java.time.Duration;
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
        KafkaConsumer<String, byte[]> events = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = List.of();
        for (long until = System.nanoTime() + Duration.ofMinutes(2).toNanos(); partitions.isEmpty(); ) {
            // The service creates its topics as it starts.
            partitions = events.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty() && System.nanoTime() > until) {
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
        events.assign(partitions);
        events.seekToEnd(partitions);
        partitions.forEach(events::position); // resolve the end offsets now, not after the send
        return events;
    }
}
