package org.wharf.common.consumer;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.topic.Topic;

/**
 * Why a command must not run at all, whatever its handler: it has no record key (so no order and no
 * aggregate), its deadline has passed, or it is a newer version of a type the service handles. Such a
 * command is answered with a {@link CommandRejected} on the service's events topic, never retried.
 */
final class CommandRefusals {

    /** The command-rejected type of each commands topic: the one on the same domain's events topic. */
    private static final Map<String, MessageType<CommandRejected>> ANSWERS = List.of(
                    Messages.LOADER_COMMAND_REJECTED, Messages.CHECKER_COMMAND_REJECTED, Messages.BACKUP_COMMAND_REJECTED,
                    Messages.DEPLOY_COMMAND_REJECTED, Messages.SCHEDULER_COMMAND_REJECTED).stream()
            .collect(Collectors.toMap(t -> t.topic().topicName().replaceFirst("\\.events$", ".commands"), Function.identity()));

    private final Clock clock;

    CommandRefusals(Clock clock) {
        this.clock = clock;
    }

    static boolean isCommandsTopic(String topic) {
        return Topic.named(topic).map(t -> t.kind() == Topic.Kind.COMMANDS).orElse(false);
    }

    /** The answer type for refusals of commands read from {@code topic}, or null if it has none. */
    static MessageType<CommandRejected> answerFor(String topic) {
        return ANSWERS.get(topic);
    }

    /** The reason a known command must not run, or null if nothing stands against it. */
    String reasonAgainst(Envelope envelope, ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.key().isBlank()) {
            return "the command has no record key";
        }
        if (envelope.deadline() != null && envelope.deadline().isBefore(clock.instant())) {
            return "deadline passed (" + envelope.deadline() + ")";
        }
        return null;
    }

    /** The reason for a command type the service does not handle, when it handles another version of it. */
    static String reasonForVersion(Subscriptions subscriptions, String topic, String type) {
        String known = subscriptions.otherVersionOf(topic, type);
        return known == null ? null : "unsupported version " + type + " (this service handles " + known + ")";
    }
}
