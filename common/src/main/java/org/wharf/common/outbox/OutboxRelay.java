package org.wharf.common.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.WharfProperties;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.inbox.Inbox;
import org.wharf.common.logging.RecordContext;
import org.wharf.common.topic.Topic;
import org.wharf.common.util.SecretScrubber;
import org.wharf.common.util.Reasons;

/**
 * Publishes committed outbox rows in id order, each to its topic and to {@code wharf.audit}, and marks
 * them sent once the broker has acknowledged both. A transaction-scoped advisory lock (per schema)
 * lets only one replica publish at a time, which keeps the per-key order. A crash between send and
 * mark re-sends the batch; consumers' inboxes make that harmless.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final WharfProperties.Outbox settings;
    private final Inbox inbox;
    private final Duration inboxRetention;
    private final AtomicLong parkedCount = new AtomicLong();
    private volatile boolean running;
    private Thread worker;
    private Instant nextHousekeeping = Instant.EPOCH;

    public OutboxRelay(Outbox outbox, JdbcTemplate jdbc, TransactionTemplate tx,
                       KafkaTemplate<String, byte[]> kafka, WharfProperties.Outbox settings,
                       Inbox inbox, Duration inboxRetention) {
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.kafka = kafka;
        this.settings = settings;
        this.inbox = inbox;
        this.inboxRetention = inboxRetention;
    }

    @Override
    public synchronized void start() {
        if (running || !settings.isRelayEnabled()) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay" + outbox.source().replace('/', '-'));
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (worker != null) {
            // Interrupt rather than wait: at shutdown the database may already be going away (the local
            // stack's PostgreSQL has its own shutdown hook), and an unfinished batch is simply sent again.
            worker.interrupt();
            outbox.signal();
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the listener containers (which stop at a higher phase), so their last records still go out. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try {
                int published = publishBatch();
                backoff = Duration.ofMillis(200);
                housekeeping();
                if (published == 0) {
                    outbox.awaitAppend(settings.getPollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("outbox relay could not publish, retrying in {} ms: {}", backoff.toMillis(), Reasons.of(e));
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
            }
        }
    }

    /** Publishes one batch; returns how many rows went out (0 when none, or another replica holds the lock). */
    public int publishBatch() {
        Integer count = tx.execute(status -> {
            Boolean locked = jdbc.queryForObject(
                    "select pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox'))", Boolean.class);
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<Row> rows = jdbc.query("""
                    select id, topic, record_key, ce_id, ce_type, ce_source, ce_time, ce_subject,
                           correlation_id, causation_id, actor, ce_deadline, payload
                    from outbox where sent_at is null and parked_at is null order by id limit ?""", OutboxRelay::row, settings.getBatchSize());
            if (rows.isEmpty()) {
                return 0;
            }
            List<List<CompletableFuture<?>>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                acks.add(send(row));
            }
            kafka.flush(); // the whole batch goes now, in as few requests as it takes, without waiting for the linger
            try {
                CompletableFuture.allOf(acks.stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
                        .get(settings.getSendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker");
            } catch (Exception e) {
                if (parkRefused(rows, acks) == 0) {
                    throw new IllegalStateException("broker did not acknowledge the batch: " + Reasons.of(e), e);
                }
                // Refused rows are parked; the others go again on the next batch, as after a crash (same
                // ce_id: inboxes absorb the copies).
                return 0;
            }
            Long[] ids = rows.stream().map(r -> r.id).toArray(Long[]::new);
            jdbc.update("update outbox set sent_at = now() where id = any(?)", (Object) ids);
            return rows.size();
        });
        return count == null ? 0 : count;
    }

    /**
     * Sends a row where it goes: an event to its topic and to the audit trail (the service publishing it
     * is its one writer); a command to its topic only (the service that consumes it writes its audit
     * copy); an audit copy (of a command this service consumed) to the audit trail only.
     */
    private List<CompletableFuture<?>> send(Row row) {
        Topic.Kind kind = Topic.named(row.topic).map(Topic::kind).orElse(Topic.Kind.EVENTS);
        List<CompletableFuture<?>> sent = new ArrayList<>(2);
        if (kind != Topic.Kind.AUDIT) {
            sent.add(kafka.send(KafkaBinding.toRecord(row.topic, row.key, row.envelope)));
        }
        if (kind != Topic.Kind.COMMANDS) {
            // An event's audit copy: its key scrubbed as the audit copies of commands are (Outbox).
            sent.add(kafka.send(KafkaBinding.toRecord(Topic.AUDIT.topicName(),
                    kind == Topic.Kind.AUDIT ? row.key : SecretScrubber.scrub(row.key), row.envelope)));
        }
        return sent;
    }

    /**
     * Parks the rows the broker refused for good (too large, invalid: a retry would be refused again),
     * with the reason, so that they stop blocking the rows behind them; returns how many.
     */
    private int parkRefused(List<Row> rows, List<List<CompletableFuture<?>>> acks) {
        int parked = 0;
        for (int i = 0; i < rows.size(); i++) {
            Throwable refusal = acks.get(i).stream().map(OutboxRelay::failure).filter(OutboxRelay::isPermanent)
                    .findFirst().orElse(null);
            if (refusal != null) {
                Row row = rows.get(i);
                String reason = Reasons.of(refusal);
                jdbc.update("update outbox set parked_at = now(), park_reason = ? where id = ?", reason, row.id);
                parkedCount.incrementAndGet();
                try (RecordContext context = RecordContext.enter(row.envelope)) {
                    log.error("outbox: parked {} {} for {}: the broker refused it: {}", row.envelope.type(), row.envelope.id(),
                            row.topic, reason);
                }
                parked++;
            }
        }
        return parked;
    }

    private static Throwable failure(CompletableFuture<?> ack) {
        if (!ack.isCompletedExceptionally()) {
            return null;
        }
        try {
            ack.getNow(null);
            return null;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    /** The broker's answers that a retry would get again. */
    static boolean isPermanent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException
                    || t instanceof InvalidRecordException
                    || t instanceof RecordBatchTooLargeException
                    || t instanceof InvalidTopicException
                    || t instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    /** How many records this relay parked since it started. */
    public long parkedCount() {
        return parkedCount.get();
    }

    private void housekeeping() {
        Instant now = Instant.now();
        if (now.isBefore(nextHousekeeping)) {
            return;
        }
        nextHousekeeping = now.plus(Duration.ofMinutes(10));
        housekeepNow();
    }

    /**
     * Deletes outbox rows sent longer ago than the configured retention, and inbox rows older than the
     * longest topic retention (no broker still holds a record that old, so none can come again).
     */
    public void housekeepNow() {
        int deleted = jdbc.update("delete from outbox where sent_at < now() - make_interval(secs => ?)",
                (double) settings.getSentRetention().toSeconds());
        if (deleted > 0) {
            log.info("outbox: deleted {} records sent more than {} ago", deleted, settings.getSentRetention());
        }
        int forgotten = inbox.purgeOlderThan(inboxRetention);
        if (forgotten > 0) {
            log.info("inbox: deleted {} records received more than {} ago", forgotten, inboxRetention);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Instant instantOrNull(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private record Row(long id, String topic, String key, Envelope envelope) {
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Envelope envelope = new Envelope(rs.getString("ce_id"), rs.getString("ce_source"), rs.getString("ce_type"),
                rs.getTimestamp("ce_time").toInstant(), rs.getString("ce_subject"), rs.getString("correlation_id"),
                rs.getString("causation_id"), rs.getString("actor"), instantOrNull(rs.getTimestamp("ce_deadline")),
                rs.getBytes("payload"));
        return new Row(rs.getLong("id"), rs.getString("topic"), rs.getString("record_key"), envelope);
    }

}
