package org.wharf.cli.deploy;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

/**
 * The test's stand-in for the deploy-service (our own collaborator, not yet able to deploy): it reads the
 * command the CLI sent and answers with events as the deploy contract says, each caused by the one
 * before it, all in the command's correlation.
 */
final class FakeDeployService {

    static final String SOURCE = "/wharf/deploy-service";

    private final KafkaTestClient kafka;

    FakeDeployService(KafkaTestClient kafka) {
        this.kafka = kafka;
    }

    /** The command of that type the CLI sent on {@code key} (each test uses keys of its own). */
    Envelope command(MessageType<?> type, String key) {
        List<ConsumerRecord<String, byte[]>> records = kafka.await(Topic.DEPLOY_COMMANDS.topicName(),
                KafkaTestClient.withKey(key).and(KafkaTestClient.ofType(type)), 1, Duration.ofSeconds(30));
        return KafkaTestClient.envelope(records.get(records.size() - 1));
    }

    /** A command sent by {@code actor}, as the CLI would send it: for a history the test writes in full. */
    <T> Envelope sent(MessageType<T> type, String key, T command, String actor) {
        Envelope envelope = Envelope.first("/wharf/cli", type.type(), key, actor, type.write(command));
        kafka.send(type.topic().topicName(), key, envelope);
        return envelope;
    }

    /** Answers {@code command}: the events then published are a chain starting from it. */
    Answer answer(Envelope command) {
        return new Answer(command);
    }

    final class Answer {
        private Envelope last;

        private Answer(Envelope cause) {
            this.last = cause;
        }

        <T> Answer then(MessageType<T> type, T payload) {
            Envelope event = Envelope.causedBy(last, SOURCE, type.type(), last.subject(), type.write(payload));
            kafka.send(type.topic().topicName(), last.subject(), event);
            last = event;
            return this;
        }
    }
}
