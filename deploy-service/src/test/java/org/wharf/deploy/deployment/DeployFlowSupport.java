package org.wharf.deploy.deployment;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployTarget;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.deploy.testsupport.DeployRig;

/** Sending deploy commands and reading what the deploy-service answered, by the command they answer. */
final class DeployFlowSupport {

    static final Set<String> ENDS = Set.of(Messages.DEPLOY_COMPLETED.type(), Messages.DEPLOY_FAILED.type(),
            Messages.ROLLED_BACK.type(), Messages.DEPLOY_PLANNED.type(), Messages.DEPLOY_COMMAND_REJECTED.type(),
            Messages.DEPLOY_UNLOCKED.type());
    static final String EVENTS = Messages.DEPLOY_STARTED.topic().topicName();

    private final KafkaTestClient kafka;

    DeployFlowSupport(KafkaTestClient kafka) {
        this.kafka = kafka;
    }

    Envelope deploy(String application) {
        return deploy(new Deploy(application, DeployRig.ENVIRONMENT, null, false, List.of(), false));
    }

    Envelope deploy(Deploy deploy) {
        return kafka.send(Messages.DEPLOY, deploy.aggregateKey(), deploy);
    }

    /** The event that ended the command's job (or answered it), waiting at most two minutes. */
    Envelope awaitEnd(Envelope command) {
        return KafkaTestClient.envelope(kafka.await(EVENTS, record -> answers(record, command)
                && ENDS.contains(KafkaTestClient.envelope(record).type()), 1, Duration.ofMinutes(2)).get(0));
    }

    /** The first event of {@code type} answering the command, waiting at most a minute. */
    <T> T await(Envelope command, MessageType<T> type) {
        return type.read(KafkaTestClient.envelope(kafka.await(EVENTS, record -> answers(record, command)
                && type.type().equals(KafkaTestClient.envelope(record).type()), 1, Duration.ofMinutes(1)).get(0)));
    }

    /** Every event answering the command so far (its end read first, so that none is missing). */
    List<Envelope> events(Envelope command) {
        awaitEnd(command);
        return kafka.all(EVENTS, record -> answers(record, command), Duration.ofMillis(500)).stream()
                .map(KafkaTestClient::envelope).toList();
    }

    List<StepFinished> steps(Envelope command) {
        return events(command).stream().filter(e -> Messages.STEP_FINISHED.is(e))
                .map(Messages.STEP_FINISHED::read).toList();
    }

    static <T> T read(MessageType<T> type, Envelope envelope) {
        if (!type.type().equals(envelope.type())) {
            throw new AssertionError("expected " + type.type() + " but got " + envelope.type() + ": "
                    + new String(envelope.data(), StandardCharsets.UTF_8));
        }
        return type.read(envelope);
    }

    static String key(String application) {
        return DeployTarget.key(application, DeployRig.ENVIRONMENT);
    }

    private static boolean answers(ConsumerRecord<String, byte[]> record, Envelope command) {
        Envelope e = KafkaTestClient.envelope(record);
        return command.id().equals(e.causationId());
    }
}
