package org.wharf.checker.deposit.internal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.deposit.CheckDetails;
import org.wharf.common.message.deposit.DepositReceived;

/** The checker's record of each deposit it judged, in the {@code checker} schema. */
@Repository
public class CheckedDeposits {

    private final JdbcTemplate jdbc;

    public CheckedDeposits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(DepositReceived deposit, String originUrl, CheckDetails problems, CheckDetails warnings) {
        jdbc.update("""
                insert into deposit (deposit_id, collection, client, origin_url, archive_bucket, archive_key,
                                     archive_size, archive_sha256, status, problems, warnings)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)
                on conflict (deposit_id) do update set status = excluded.status, problems = excluded.problems,
                                                       warnings = excluded.warnings, checked_at = now()""",
                deposit.depositId(), deposit.collection(), deposit.client(), originUrl,
                deposit.archive().bucket(), deposit.archive().key(), deposit.archive().size(), deposit.archive().sha256(),
                problems.isEmpty() ? "verified" : "rejected", WharfJson.MAPPER.writeValueAsString(problems),
                WharfJson.MAPPER.writeValueAsString(warnings));
    }

    public String status(String depositId) {
        return jdbc.query("select status from deposit where deposit_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, depositId);
    }
}
