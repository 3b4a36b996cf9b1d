package org.wharf.common.outbox;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What waits in the outbox to be published (neither sent nor parked): how many records, and how long
 * the oldest has waited, by the database's clock (the one that stamped it).
 */
public final class OutboxBacklog {

    private final JdbcTemplate jdbc;

    public OutboxBacklog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param oldestAge zero when nothing waits */
    public record Backlog(long records, Duration oldestAge) {
    }

    public Backlog read() {
        return jdbc.queryForObject("""
                select count(*), coalesce(extract(epoch from now() - min(created_at)), 0)
                from outbox where sent_at is null and parked_at is null""",
                (rs, n) -> new Backlog(rs.getLong(1), Duration.ofMillis(Math.max(0, Math.round(rs.getDouble(2) * 1000)))));
    }
}
