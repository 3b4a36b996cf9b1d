package org.wharf.common.topic;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Partitions and retention of the catalog's topics ({@code wharf.topics.*}). A dead-letter topic gets
 * the partition count of its source because spring-kafka sends a dead letter to the same partition.
 */
@ConfigurationProperties("wharf.topics")
public class TopicProperties {

    private int partitions = 3;
    private short replicationFactor = 1;
    /** Per-topic retention, by topic name; the catalog's default otherwise. */
    private Map<String, Duration> retention = new HashMap<>();
    /** Per-topic partition count, by topic name. */
    private Map<String, Integer> partitionsByTopic = new HashMap<>();

    public int partitionsOf(Topic topic) {
        return partitionsByTopic.getOrDefault(topic.topicName(), partitions);
    }

    public Duration retentionOf(Topic topic) {
        return retention.getOrDefault(topic.topicName(), topic.defaultRetention());
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public Map<String, Duration> getRetention() {
        return retention;
    }

    public void setRetention(Map<String, Duration> retention) {
        this.retention = retention;
    }

    public Map<String, Integer> getPartitionsByTopic() {
        return partitionsByTopic;
    }

    public void setPartitionsByTopic(Map<String, Integer> partitionsByTopic) {
        this.partitionsByTopic = partitionsByTopic;
    }
}
