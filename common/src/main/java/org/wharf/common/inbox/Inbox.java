package org.wharf.common.inbox;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.wharf.common.envelope.Envelope;

/**
 * The ids of the records a service has handled, stored in the same transaction as their effects,
 * so that a redelivered record is recognised and changes nothing.
 */
public class Inbox {

    private final JdbcTemplate jdbc;

    public Inbox(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records {@code envelope} as handled; false if it already was (then the caller must do nothing). */
    public boolean claim(Envelope envelope, String topic) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Inbox.claim must run inside the transaction of the record's effects");
        }
        return jdbc.update("insert into inbox (ce_id, ce_type, topic) values (?, ?, ?) on conflict (ce_id) do nothing",
                envelope.id(), envelope.type(), topic) == 1;
    }

    /**
     * Forgets records received longer ago than {@code retention}: the broker no longer holds them, so
     * none can be redelivered. Returns how many were deleted.
     */
    public int purgeOlderThan(Duration retention) {
        return jdbc.update("delete from inbox where received_at < now() - make_interval(secs => ?)",
                (double) retention.toSeconds());
    }

    /** A cheap look before expensive work; the claim inside the transaction is what decides. */
    public boolean contains(Envelope envelope) {
        Integer n = jdbc.queryForObject("select count(*) from inbox where ce_id = ?", Integer.class, envelope.id());
        return n != null && n > 0;
    }
}
