package org.wharf.common.consumer;

import java.time.Clock;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;

/**
 * Why a command must not run at all, whatever its handler: it has no record key (so no order and no
 * aggregate), its deadline has passed, or it is a newer version of a type the service handles. Such a
 * command is answered with a {@link CommandRejected} on the service's events topic, never retried.
 */
final class CommandRefusals {

    private final Clock clock;

    CommandRefusals(Clock clock) {
        this.clock = clock;
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
