package org.wharf.common.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;

/**
 * A test's exchange with a service through the broker, as Spring Modulith's {@code Scenario} has it:
 * send a command, await a message of a type (on that type's topic, in the command's correlation) that
 * matches a condition, and get its payload; or get the command's one direct answer. Replaces each
 * test's own await, type check and read.
 */
public final class Scenario {

    /** How long a service may take to answer, unless a test says otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);

    private final KafkaTestClient kafka;

    public Scenario(KafkaTestClient kafka) {
        this.kafka = kafka;
    }

    /** Sends a command (a first record of a new correlation, as an operator would). */
    public <T> Sent send(MessageType<T> type, String key, T payload) {
        return new Sent(kafka, kafka.send(type, key, payload));
    }

    /** A command sent, and what to await of it. */
    public record Sent(KafkaTestClient kafka, Envelope command) {

        /** The payload of the first {@code type} of the command's correlation; fails after {@link #DEFAULT_WAIT}. */
        public <E> E await(MessageType<E> type) {
            return await(type, payload -> true, DEFAULT_WAIT);
        }

        /** The payload of the first {@code type} of the command's correlation that matches {@code condition}. */
        public <E> E await(MessageType<E> type, Predicate<E> condition, Duration within) {
            List<ConsumerRecord<String, byte[]>> found = kafka.read(type.topic().topicName(), record -> {
                Envelope e = KafkaTestClient.envelope(record);
                return command.correlationId().equals(e.correlationId()) && type.is(e) && condition.test(type.read(e));
            }, 1, within);
            if (found.isEmpty()) {
                throw new AssertionError("no " + type.type() + " matching the condition in correlation " + command.correlationId()
                        + " (of " + command.type() + ") on " + type.topic().topicName() + " within " + within);
            }
            return type.read(KafkaTestClient.envelope(found.get(0)));
        }

        /**
         * The command's direct answer (the first record on {@code type}'s topic it caused), which must be a
         * {@code type}: a refusal or another answer fails, saying what it was.
         */
        public <E> E answer(MessageType<E> type) {
            Envelope answer = answerEnvelope(type, DEFAULT_WAIT);
            if (!type.is(answer)) {
                throw new AssertionError("expected " + type.type() + " in answer to " + command.type() + ", got " + answer.type()
                        + ": " + new String(answer.data(), StandardCharsets.UTF_8));
            }
            return type.read(answer);
        }

        /** The first record on {@code type}'s topic the command caused, whatever its type. */
        public Envelope answerEnvelope(MessageType<?> type, Duration within) {
            return KafkaTestClient.envelope(kafka.await(type.topic().topicName(),
                    record -> command.id().equals(KafkaTestClient.envelope(record).causationId()), 1, within).get(0));
        }
    }
}
