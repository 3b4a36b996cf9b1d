package org.wharf.common.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Every service declares the whole catalog, so whichever starts first creates the topics it needs
 * with the configured partitions and retention (KafkaAdmin leaves existing topics alone).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicProperties.class)
public class TopicCatalogConfiguration {

    @Bean
    public KafkaAdmin.NewTopics wharfTopics(TopicProperties properties) {
        return new KafkaAdmin.NewTopics(newTopics(properties).toArray(NewTopic[]::new));
    }

    public static List<NewTopic> newTopics(TopicProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            int partitions = properties.partitionsOf(topic);
            String retentionMs = Long.toString(properties.retentionOf(topic).toMillis());
            topics.add(new NewTopic(topic.topicName(), partitions, properties.getReplicationFactor())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retentionMs)));
            if (topic.kind() != Topic.Kind.AUDIT) {
                topics.add(new NewTopic(topic.deadLetterTopicName(), partitions, properties.getReplicationFactor())
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retentionMs)));
            }
        }
        return topics;
    }
}
