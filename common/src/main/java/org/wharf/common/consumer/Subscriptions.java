package org.wharf.common.consumer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.topic.Topic;

/**
 * The record types a service handles, each with its handler. Types not listed are skipped (readers
 * skip types they do not know); the topics of the listed types are the ones the service consumes.
 */
public final class Subscriptions {

    /** A handler, and how the payload it takes is read from an envelope. */
    record Registration<T>(Function<Envelope, T> reader, Handler<T> handler) {
    }

    private final Map<String, Registration<?>> byTopicAndType;
    private final Map<String, Registration<Envelope>> everyRecordOf;
    private final Set<String> topics;

    private Subscriptions(Map<String, Registration<?>> byTopicAndType, Map<String, Registration<Envelope>> everyRecordOf,
                          Set<String> topics) {
        this.byTopicAndType = Collections.unmodifiableMap(byTopicAndType);
        this.everyRecordOf = Collections.unmodifiableMap(everyRecordOf);
        this.topics = Collections.unmodifiableSet(topics);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> topics() {
        return topics;
    }

    /** The handler of this type on this topic, else the topic's handler of every record, else null. */
    Registration<?> find(String topic, String type) {
        Registration<?> typed = byTopicAndType.get(topic + ' ' + type);
        return typed != null ? typed : everyRecordOf.get(topic);
    }

    /** The handled type on {@code topic} that is another version ({@code .vN}) of {@code type}, or null. */
    String otherVersionOf(String topic, String type) {
        String unversioned = type.replaceFirst("\\.v\\d+$", "");
        if (unversioned.equals(type)) {
            return null;
        }
        for (String key : byTopicAndType.keySet()) {
            String handled = key.substring(key.indexOf(' ') + 1);
            if (key.startsWith(topic + ' ') && handled.replaceFirst("\\.v\\d+$", "").equals(unversioned)) {
                return handled;
            }
        }
        return null;
    }

    public static final class Builder {
        private final Map<String, Registration<?>> byTopicAndType = new LinkedHashMap<>();
        private final Map<String, Registration<Envelope>> everyRecordOf = new LinkedHashMap<>();
        private final Set<String> topics = new LinkedHashSet<>();

        /**
         * Every record of {@code topic}, whatever its type, as its envelope (a reader following other
         * services' events by correlation id, say); types with a handler of their own go there instead.
         */
        public Builder onEveryRecordOf(Topic topic, Handler<Envelope> handler) {
            if (everyRecordOf.putIfAbsent(topic.topicName(), new Registration<>(envelope -> envelope, handler)) != null) {
                throw new IllegalStateException("two handlers for every record of " + topic.topicName());
            }
            topics.add(topic.topicName());
            return this;
        }

        public <T> Builder on(MessageType<T> type, Handler<T> handler) {
            String topic = type.topic().topicName();
            if (byTopicAndType.putIfAbsent(topic + ' ' + type.type(), new Registration<>(type::read, handler)) != null) {
                throw new IllegalStateException("two handlers for " + type.type());
            }
            topics.add(topic);
            return this;
        }

        public Subscriptions build() {
            return new Subscriptions(new LinkedHashMap<>(byTopicAndType), new LinkedHashMap<>(everyRecordOf),
                    new LinkedHashSet<>(topics));
        }
    }
}
