package org.wharf.loader.deposit.internal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.deposit.DepositVerified;

/** The loader's record of each load, in the {@code loader} schema. */
@Repository
public class LoadedDeposits {

    public record Load(String depositId, String status, String originUrl, String archiveBucket, String archiveKey,
                       String loadingEventId, String correlationId, String actor) {
        public boolean loading() {
            return "loading".equals(status);
        }
    }

    private final JdbcTemplate jdbc;

    public LoadedDeposits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void start(DepositVerified deposit, Envelope loading) {
        jdbc.update("""
                insert into deposit (deposit_id, origin_url, archive_bucket, archive_key, status, loading_event_id,
                                     correlation_id, actor)
                values (?, ?, ?, ?, 'loading', ?, ?, ?)
                on conflict (deposit_id) do update set status = 'loading', loading_event_id = excluded.loading_event_id,
                    correlation_id = excluded.correlation_id, actor = excluded.actor, directory = null, failure = null,
                    started_at = now(), finished_at = null""",
                deposit.depositId(), deposit.originUrl(), deposit.archive().bucket(), deposit.archive().key(),
                loading.id(), loading.correlationId(), loading.actor());
    }

    public Load find(String depositId) {
        return jdbc.query("""
                select deposit_id, status, origin_url, archive_bucket, archive_key, loading_event_id, correlation_id, actor
                from deposit where deposit_id = ?""",
                rs -> rs.next() ? new Load(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)) : null, depositId);
    }

    /** Marks the load done; false if it was not loading any more (finished by an earlier delivery). */
    public boolean done(String depositId, String directory) {
        return jdbc.update("update deposit set status = 'done', directory = ?, finished_at = now() "
                + "where deposit_id = ? and status = 'loading'", directory, depositId) == 1;
    }

    public boolean fail(String depositId, String failure) {
        return jdbc.update("update deposit set status = 'failed', failure = ?, finished_at = now() "
                + "where deposit_id = ? and status = 'loading'", failure, depositId) == 1;
    }
}
