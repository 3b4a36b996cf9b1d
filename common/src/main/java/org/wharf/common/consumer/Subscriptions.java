package org.wharf.common.consumer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.wharf.common.message.MessageType;

/**
 * The record types a service handles, each with its handler. Types not listed are skipped (readers
 * skip types they do not know); the topics of the listed types are the ones the service consumes.
 */
public final class Subscriptions {

    record Registration<T>(MessageType<T> type, Handler<T> handler) {
    }

    private final Map<String, Registration<?>> byTopicAndType;
    private final Set<String> topics;

    private Subscriptions(Map<String, Registration<?>> byTopicAndType, Set<String> topics) {
        this.byTopicAndType = Collections.unmodifiableMap(byTopicAndType);
        this.topics = Collections.unmodifiableSet(topics);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> topics() {
        return topics;
    }

    Registration<?> find(String topic, String type) {
        return byTopicAndType.get(topic + ' ' + type);
    }

    public static final class Builder {
        private final Map<String, Registration<?>> byTopicAndType = new LinkedHashMap<>();
        private final Set<String> topics = new LinkedHashSet<>();

        public <T> Builder on(MessageType<T> type, Handler<T> handler) {
            String topic = type.topic().topicName();
            if (byTopicAndType.putIfAbsent(topic + ' ' + type.type(), new Registration<>(type, handler)) != null) {
                throw new IllegalStateException("two handlers for " + type.type());
            }
            topics.add(topic);
            return this;
        }

        public Subscriptions build() {
            return new Subscriptions(new LinkedHashMap<>(byTopicAndType), new LinkedHashSet<>(topics));
        }
    }
}
