package org.wharf.common.outbox;

import java.sql.Timestamp;
import java.util.List;
import java.util.Objects;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandDeadlines;
import org.wharf.common.message.MessageType;
import org.wharf.common.topic.Topic;
import org.wharf.common.util.SecretScrubber;
import org.wharf.common.util.Wakeup;

/**
 * Records a service's outgoing records in its own schema, in the caller's transaction: the state
 * change and the records it causes commit together or not at all. {@link OutboxRelay} publishes them.
 */
public class Outbox {

    private static final String INSERT = """
            insert into outbox (topic, record_key, ce_id, ce_type, ce_source, ce_time, ce_subject,
                                correlation_id, causation_id, actor, ce_deadline, payload)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** Below the broker's default max.message.bytes (1 MiB), headers and batch overhead included. */
    public static final int MAX_PAYLOAD_BYTES = 900 * 1024;

    private final JdbcTemplate jdbc;
    private final String source;
    private final CommandDeadlines deadlines;
    private final Wakeup appended = new Wakeup();
    private volatile AppendObserver observer = records -> { };

    public Outbox(JdbcTemplate jdbc, String source, CommandDeadlines deadlines) {
        this.jdbc = jdbc;
        this.source = source;
        this.deadlines = deadlines;
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
        return append(type.topic().topicName(), key, envelope);
    }

    /**
     * A record of a type this service does not know at compile time (a command the scheduler fires, say);
     * the caller has checked that {@code topic} is one it may write to.
     */
    public Envelope append(String topic, String key, Envelope envelope) {
        appendAll(List.of(new Pending(topic, key, envelope)));
        return envelope;
    }

    /**
     * Told of the records appended, inside the appending transaction (so that it can act on the commit
     * only): the one place every record a service writes goes through, where the job metrics count.
     */
    @FunctionalInterface
    public interface AppendObserver {
        void appended(List<Pending> records);
    }

    public void observe(AppendObserver observer) {
        this.observer = observer;
    }

    /** A record to append with others in one round trip ({@link #appendAll}). */
    public record Pending(String topic, String key, Envelope envelope) {
    }

    /**
     * Appends many records in one round trip to the database, in order, in the caller's transaction
     * (the scheduler firing hundreds of due schedules at the same second, say).
     */
    public void appendAll(List<Pending> records) {
        insert(INSERT, records);
    }

    /**
     * Records a copy of a command this service consumed, for the audit trail only (the service that
     * consumes a command is the one that writes it there). A redelivered command is copied once: the
     * copy keeps the command's ce_id, and a second insert of it does nothing.
     */
    public void appendAuditCopy(String key, Envelope command) {
        insert(INSERT + " on conflict (ce_id) do nothing", List.of(new Pending(Topic.AUDIT.topicName(), key, command)));
    }

    private void insert(String insert, List<Pending> records) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            // Without a transaction the records could be published while the state change they announce is lost.
            throw new IllegalStateException("Outbox.append must run inside the transaction of the state change");
        }
        if (records.isEmpty()) {
            return;
        }
        // Nothing leaves a service with a secret in it: not its events, not the audit copies of its commands.
        records = records.stream().map(Outbox::scrubbed).toList();
        for (Pending r : records) {
            // Bounded here, where the caller can still answer otherwise, not at the broker after the commit.
            if (r.envelope().data().length > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("a " + r.envelope().type() + " payload of " + r.envelope().data().length
                        + " bytes is larger than the outbox takes (" + MAX_PAYLOAD_BYTES + " bytes)");
            }
        }
        jdbc.batchUpdate(insert, records, records.size(), (ps, r) -> {
            Envelope e = withDeadline(r);
            ps.setString(1, r.topic());
            ps.setString(2, r.key());
            ps.setString(3, e.id());
            ps.setString(4, e.type());
            ps.setString(5, e.source());
            ps.setTimestamp(6, Timestamp.from(e.time()));
            ps.setString(7, e.subject());
            ps.setString(8, e.correlationId());
            ps.setString(9, e.causationId());
            ps.setString(10, e.actor());
            ps.setTimestamp(11, e.deadline() == null ? null : Timestamp.from(e.deadline()));
            ps.setBytes(12, e.data());
        });
        observer.appended(records);
        appended.signalAfterCommit();
    }

    private static Pending scrubbed(Pending r) {
        Envelope e = r.envelope();
        byte[] data = SecretScrubber.scrubJson(e.data());
        String subject = SecretScrubber.scrub(e.subject());
        String correlationId = SecretScrubber.scrub(e.correlationId()); // a caller's choice (the CLI gives the id it was given)
        // An audit copy's key is scrubbed too; an event's key stays its aggregate's (its partition, its order).
        String key = r.topic().equals(Topic.AUDIT.topicName()) ? SecretScrubber.scrub(r.key()) : r.key();
        if (data == e.data() && Objects.equals(subject, e.subject()) && Objects.equals(key, r.key())
                && Objects.equals(correlationId, e.correlationId())) {
            return r;
        }
        return new Pending(r.topic(), key, new Envelope(e.id(), e.source(), e.type(), e.time(), subject, correlationId,
                e.causationId(), e.actor(), e.deadline(), data));
    }

    /** A command gets its type's deadline unless its sender set one; events carry none. */
    private Envelope withDeadline(Pending r) {
        Envelope e = r.envelope();
        boolean command = Topic.named(r.topic()).map(t -> t.kind() == Topic.Kind.COMMANDS).orElse(false);
        return command && e.deadline() == null ? e.withDeadline(deadlines.deadline(e.type(), e.time())) : e;
    }

    public String source() {
        return source;
    }

    void signal() {
        appended.signal();
    }

    /** Waits until something is committed to the outbox, or the timeout passes. */
    void awaitAppend(long timeoutMillis) throws InterruptedException {
        appended.await(timeoutMillis);
    }
}
