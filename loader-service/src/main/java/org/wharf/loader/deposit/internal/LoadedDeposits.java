package org.wharf.loader.deposit.internal;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.deposit.DepositVerified;

/** The loader's record of each load, in the {@code loader} schema. */
@Repository
public class LoadedDeposits {

    public record Load(String depositId, LoadStatus status, String originUrl, String archiveBucket, String archiveKey,
                       String loadingEventId, String correlationId, String actor, String client, String collection,
                       String softwareVersion, String releaseDate, Instant receivedAt,
                       Long archiveSize, String archiveSha256) {
        public boolean loading() {
            return status == LoadStatus.LOADING;
        }
    }

    private final JdbcTemplate jdbc;

    public LoadedDeposits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void start(DepositVerified deposit, Envelope loading) {
        jdbc.update("""
                insert into deposit (deposit_id, origin_url, archive_bucket, archive_key, status, loading_event_id,
                                     correlation_id, actor, client, collection, software_version, release_date, received_at,
                                     archive_size, archive_sha256)
                values (?, ?, ?, ?, 'loading', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (deposit_id) do update set status = 'loading', loading_event_id = excluded.loading_event_id,
                    archive_bucket = excluded.archive_bucket, archive_key = excluded.archive_key,
                    archive_size = excluded.archive_size, archive_sha256 = excluded.archive_sha256,
                    correlation_id = excluded.correlation_id, actor = excluded.actor, directory = null, failure = null,
                    release = null, snapshot = null, version = null, started_at = now(), finished_at = null""",
                deposit.depositId(), deposit.originUrl(), deposit.archive().bucket(), deposit.archive().key(),
                loading.id(), loading.correlationId(), loading.actor(), deposit.client(), deposit.collection(),
                deposit.softwareVersion(), deposit.dateCreated() != null ? deposit.dateCreated() : deposit.datePublished(),
                deposit.receivedAt() == null ? null : Timestamp.from(deposit.receivedAt()),
                deposit.archive().size(), deposit.archive().sha256());
    }

    /** A deposit set for loading again starts loading; {@code loading} is its DepositLoading record. */
    public void markLoading(String depositId, Envelope loading) {
        jdbc.update("""
                update deposit set status = 'loading', loading_event_id = ?, correlation_id = ?, actor = ?,
                                   started_at = now(), finished_at = null
                where deposit_id = ?""", loading.id(), loading.correlationId(), loading.actor(), depositId);
    }

    /** Back to verified with the identifiers cleared (a reschedule). */
    public void reset(String depositId) {
        jdbc.update("update deposit set status = 'verified', directory = null, failure = null, finished_at = null, "
                + "release = null, snapshot = null, version = null, visit = null where deposit_id = ?", depositId);
    }

    public Load find(String depositId) {
        return jdbc.query("""
                select deposit_id, status, origin_url, archive_bucket, archive_key, loading_event_id, correlation_id, actor,
                       client, collection, software_version, release_date, received_at, archive_size, archive_sha256
                from deposit where deposit_id = ?""",
                rs -> rs.next() ? new Load(rs.getString(1), LoadStatus.of(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12),
                        rs.getTimestamp(13) == null ? null : rs.getTimestamp(13).toInstant(),
                        rs.getObject(14, Long.class), rs.getString(15)) : null, depositId);
    }

    /** Marks the load done; false if it was not loading any more (finished by an earlier delivery). */
    public boolean done(String depositId, String directory, String version, String release, String snapshot) {
        return jdbc.update("update deposit set status = 'done', directory = ?, version = ?, release = ?, snapshot = ?, "
                + "finished_at = now() where deposit_id = ? and status = 'loading'",
                directory, version, release, snapshot, depositId) == 1;
    }

    /** How many other deposits of this origin were loaded: the default version is that plus one. */
    public int loadedOnOrigin(String originUrl, String exceptDepositId) {
        Integer n = jdbc.queryForObject("select count(*) from deposit where origin_url = ? and status = 'done' "
                + "and deposit_id <> ?", Integer.class, originUrl, exceptDepositId);
        return n == null ? 0 : n;
    }

    public void visited(String depositId, int visit) {
        jdbc.update("update deposit set visit = ? where deposit_id = ?", visit, depositId);
    }

    public boolean fail(String depositId, String failure) {
        return jdbc.update("update deposit set status = 'failed', failure = ?, finished_at = now() "
                + "where deposit_id = ? and status = 'loading'", failure, depositId) == 1;
    }
}
