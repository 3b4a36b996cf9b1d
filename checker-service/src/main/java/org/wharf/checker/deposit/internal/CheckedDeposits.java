package org.wharf.checker.deposit.internal;

import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.deposit.CheckDetails;
import org.wharf.common.message.deposit.DepositReceived;

/** The checker's record of each deposit it received and judged, with its announcement, in the {@code checker} schema. */
@Repository
public class CheckedDeposits {

    /** A deposit as the checker knows it; {@code received} is null for one judged before announcements were kept. */
    public record Checked(String depositId, CheckStatus status, DepositReceived received) {
    }

    private final JdbcTemplate jdbc;

    public CheckedDeposits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the announcement of a deposit that has no verdict yet; a known deposit is left as it is. */
    public void received(DepositReceived deposit) {
        jdbc.update("""
                insert into deposit (deposit_id, collection, client, origin_url, archive_bucket, archive_key,
                                     archive_size, archive_sha256, status, received)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'deposited', ?::jsonb)
                on conflict (deposit_id) do nothing""",
                deposit.depositId(), deposit.collection(), deposit.client(), deposit.originUrl(),
                deposit.archive().bucket(), deposit.archive().key(), deposit.archive().size(), deposit.archive().sha256(),
                WharfJson.MAPPER.writeValueAsString(deposit));
    }

    public void record(DepositReceived deposit, String originUrl, CheckDetails problems, CheckDetails warnings) {
        jdbc.update("""
                insert into deposit (deposit_id, collection, client, origin_url, archive_bucket, archive_key,
                                     archive_size, archive_sha256, status, problems, warnings, received)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)
                on conflict (deposit_id) do update set status = excluded.status, problems = excluded.problems,
                                                       warnings = excluded.warnings, origin_url = excluded.origin_url,
                                                       received = coalesce(deposit.received, excluded.received),
                                                       checked_at = now()""",
                deposit.depositId(), deposit.collection(), deposit.client(), originUrl,
                deposit.archive().bucket(), deposit.archive().key(), deposit.archive().size(), deposit.archive().sha256(),
                (problems.isEmpty() ? CheckStatus.VERIFIED : CheckStatus.REJECTED).word(), WharfJson.MAPPER.writeValueAsString(problems),
                WharfJson.MAPPER.writeValueAsString(warnings), WharfJson.MAPPER.writeValueAsString(deposit));
    }

    /** The deposit's status as stored; null for a deposit the checker does not know. */
    public String status(String depositId) {
        return find(depositId).map(checked -> checked.status().word()).orElse(null);
    }

    public Optional<Checked> find(String depositId) {
        return jdbc.query("select status, received from deposit where deposit_id = ?", rs -> rs.next()
                ? Optional.of(new Checked(depositId, CheckStatus.of(rs.getString(1)), rs.getString(2) == null ? null
                        : WharfJson.MAPPER.readValue(rs.getString(2), DepositReceived.class)))
                : Optional.empty(), depositId);
    }
}
