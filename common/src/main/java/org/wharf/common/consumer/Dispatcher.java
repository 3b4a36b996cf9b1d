package org.wharf.common.consumer;

import java.time.Clock;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.inbox.Inbox;
import org.wharf.common.logging.RecordContext;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.Keyed;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.topic.Topic;

/** Reads each record's envelope and payload, and hands it to the handler of its type. */
class Dispatcher implements MessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Subscriptions subscriptions;
    private final Inbox inbox;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final CommandRefusals refusals;

    Dispatcher(Subscriptions subscriptions, Inbox inbox, Outbox outbox, TransactionTemplate tx) {
        this.subscriptions = subscriptions;
        this.inbox = inbox;
        this.outbox = outbox;
        this.tx = tx;
        this.refusals = new CommandRefusals(Clock.systemUTC());
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = KafkaBinding.fromRecord(record);
        // Every line logged while this record is in hand names it (ce_id, correlationid, ce_type).
        try (RecordContext context = RecordContext.enter(envelope)) {
            handle(record, envelope);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, Envelope envelope) {
        Subscriptions.Registration<?> registration = subscriptions.find(record.topic(), envelope.type());
        Topic topic = Topic.named(record.topic()).orElse(null);
        boolean command = topic != null && topic.kind() == Topic.Kind.COMMANDS;
        if (command || registration != null && topic != null && topic.auditedByConsumer()) {
            copyToAudit(envelope, record);
        }
        if (registration == null) {
            String reason = command ? CommandRefusals.reasonForVersion(subscriptions, record.topic(), envelope.type()) : null;
            if (reason != null) {
                refuse(envelope, record, reason);
                return;
            }
            log.debug("skipping {} on {}: not a type this service handles", envelope.type(), record.topic());
            return;
        }
        String reason = command ? refusals.reasonAgainst(envelope, record) : null;
        if (reason != null) {
            refuse(envelope, record, reason);
            return;
        }
        dispatch(registration, envelope, record);
    }

    /** The audit copy of a record an outsider wrote, made by its consumer before anything else (once per ce_id). */
    private void copyToAudit(Envelope envelope, ConsumerRecord<String, byte[]> record) {
        tx.executeWithoutResult(status -> outbox.appendAuditCopy(keyOf(envelope, record), envelope));
    }

    /** The key records about this one travel under: its own, else (a keyless command) its ce_id. */
    private static String keyOf(Envelope envelope, ConsumerRecord<String, byte[]> record) {
        return record.key() == null || record.key().isBlank() ? envelope.id() : record.key();
    }

    /** Answers a command that must not run with one command-rejected, recorded in the inbox like any effect. */
    private void refuse(Envelope envelope, ConsumerRecord<String, byte[]> record, String reason) {
        MessageType<CommandRejected> answer = Topic.named(record.topic()).map(Messages::commandRejectedOn).orElse(null);
        if (answer == null) {
            log.warn("{}-{}@{}: skipping {} {}: {}", record.topic(), record.partition(), record.offset(),
                    envelope.type(), envelope.id(), reason);
            return;
        }
        String key = keyOf(envelope, record);
        tx.executeWithoutResult(status -> {
            if (inbox.claim(envelope, record.topic())) {
                outbox.append(answer, key, new CommandRejected(envelope.type(), record.key(), reason), envelope);
                log.warn("{}-{}@{}: refused {} {}: {}", record.topic(), record.partition(), record.offset(),
                        envelope.type(), envelope.id(), reason);
            }
        });
    }

    private <T> void dispatch(Subscriptions.Registration<T> registration, Envelope envelope,
                              ConsumerRecord<String, byte[]> record) {
        T payload = registration.reader().apply(envelope);
        if (payload instanceof Keyed keyed && keyed.aggregateKey() != null && record.key() != null
                && !record.key().equals(keyed.aggregateKey())) {
            refuse(envelope, record, "the record key '" + record.key() + "' disagrees with the payload's '"
                    + keyed.aggregateKey() + "'");
            return;
        }
        try {
            registration.handler().handle(new Delivery<>(envelope, payload, record.topic(), record.key(), inbox, outbox, tx));
        } catch (RuntimeException e) {
            throw e;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | Error e) {
            // An Error (a linkage problem, say) would stop the container for good; as an exception it is
            // retried and then dead-lettered, and the consumer carries on with the next record.
            throw new HandlerFailedException(envelope, e);
        }
    }

    static final class HandlerFailedException extends RuntimeException {
        HandlerFailedException(Envelope envelope, Throwable cause) {
            super("handling " + envelope.type() + " " + envelope.id() + " failed", cause);
        }
    }
}
