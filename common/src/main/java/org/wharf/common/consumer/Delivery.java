package org.wharf.common.consumer;

import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.inbox.Inbox;
import org.wharf.common.message.MessageType;
import org.wharf.common.outbox.Outbox;

/**
 * One record handed to a {@link Handler}: its envelope, typed payload and key, and the means to
 * apply its effects exactly once ({@link #handleOnce}) and to emit the records it causes ({@link #emit}).
 */
public final class Delivery<T> {

    private final Envelope envelope;
    private final T payload;
    private final String topic;
    private final String key;
    private final Inbox inbox;
    private final Outbox outbox;
    private final TransactionTemplate tx;

    Delivery(Envelope envelope, T payload, String topic, String key, Inbox inbox, Outbox outbox, TransactionTemplate tx) {
        this.envelope = envelope;
        this.payload = payload;
        this.topic = topic;
        this.key = key;
        this.inbox = inbox;
        this.outbox = outbox;
        this.tx = tx;
    }

    public Envelope envelope() {
        return envelope;
    }

    public T payload() {
        return payload;
    }

    public String key() {
        return key;
    }

    public String topic() {
        return topic;
    }

    /** True if this record's effects are already committed; lets a handler skip slow work on a redelivery. */
    public boolean alreadyHandled() {
        return inbox.contains(envelope);
    }

    /**
     * Runs {@code effects} and records this delivery in the inbox in one transaction. Returns false,
     * running nothing, if the record was handled before.
     */
    public boolean handleOnce(Runnable effects) {
        Boolean done = tx.execute(status -> {
            if (!inbox.claim(envelope, topic)) {
                return false;
            }
            effects.run();
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** Emits a record caused by this one; call it inside {@link #handleOnce}. */
    public <R> Envelope emit(MessageType<R> type, String key, R payload) {
        return outbox.append(type, key, payload, envelope);
    }
}
