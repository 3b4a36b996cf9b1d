package org.wharf.common.outbox;

import java.sql.Timestamp;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;

/**
 * Records a service's outgoing records in its own schema, in the caller's transaction: the state
 * change and the records it causes commit together or not at all. {@link OutboxRelay} publishes them.
 */
public class Outbox {

    private final JdbcTemplate jdbc;
    private final String source;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private boolean pending;

    public Outbox(JdbcTemplate jdbc, String source) {
        this.jdbc = jdbc;
        this.source = source;
    }

    /** A record caused by {@code cause} (same correlation and actor). */
    public <T> Envelope append(MessageType<T> type, String key, T payload, Envelope cause) {
        return append(type, key, Envelope.causedBy(cause, source, type.type(), key, type.write(payload)));
    }

    /** A record caused by the record {@code causeId} of correlation {@code correlationId}. */
    public <T> Envelope append(MessageType<T> type, String key, T payload, String causeId, String correlationId, String actor) {
        return append(type, key, Envelope.causedBy(causeId, correlationId, actor, source, type.type(), key, type.write(payload)));
    }

    /** A record that starts a correlation of its own. */
    public <T> Envelope appendFirst(MessageType<T> type, String key, T payload, String actor) {
        return append(type, key, Envelope.first(source, type.type(), key, actor, type.write(payload)));
    }

    public <T> Envelope append(MessageType<T> type, String key, Envelope envelope) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            // Without a transaction the record could be published while the state change it announces is lost.
            throw new IllegalStateException("Outbox.append must run inside the transaction of the state change");
        }
        jdbc.update("""
                insert into outbox (topic, record_key, ce_id, ce_type, ce_source, ce_time, ce_subject,
                                    correlation_id, causation_id, actor, payload)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                type.topic().topicName(), key, envelope.id(), envelope.type(), envelope.source(),
                Timestamp.from(envelope.time()), envelope.subject(), envelope.correlationId(),
                envelope.causationId(), envelope.actor(), envelope.data());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                signal();
            }
        });
        return envelope;
    }

    public String source() {
        return source;
    }

    void signal() {
        lock.lock();
        try {
            pending = true;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until something is committed to the outbox, or the timeout passes. */
    void awaitAppend(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            if (!pending) {
                appended.await(timeoutMillis, TimeUnit.MILLISECONDS);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
