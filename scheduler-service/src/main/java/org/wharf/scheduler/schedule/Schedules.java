package org.wharf.scheduler.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code schedule} and {@code schedule_fire} tables. */
@Repository
public class Schedules {

    private static final String COLUMNS = """
            name, expression, zone, command_topic, command_type, command_key, command_payload, missed_run_policy,
            starting_deadline_seconds, concurrency_policy, paused, history_limit, one_shot, anchor, next_fire_at,
            correlation_id, running_correlation_id, job_timeout_seconds, running_due_at, running_until""";

    private final JdbcTemplate jdbc;

    public Schedules(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The schedule, locked until the transaction ends (commands and fires of one schedule take turns). */
    public StoredSchedule lock(String name) {
        List<StoredSchedule> found = jdbc.query("select " + COLUMNS + " from schedule where name = ? for update",
                Schedules::row, name);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Due schedules (a due time passed, or the job they wait for timed out), earliest first, locked;
     * those another replica has locked are skipped, so replicas share the work and none fires what
     * another is firing.
     */
    public List<StoredSchedule> lockDue(Instant now, int limit) {
        Timestamp at = Timestamp.from(now);
        return jdbc.query("select " + COLUMNS + " from schedule where not paused and (next_fire_at <= ? or running_until <= ?) "
                + "order by least(next_fire_at, running_until) limit ? for update skip locked", Schedules::row, at, at, limit);
    }

    /** The earliest due time or job timeout of any schedule that is not paused, or null. */
    public Instant earliestDue() {
        Timestamp t = jdbc.queryForObject("select least(min(next_fire_at), min(running_until)) from schedule where not paused",
                Timestamp.class);
        return t == null ? null : t.toInstant();
    }

    public void insert(StoredSchedule s) {
        jdbc.update("insert into schedule (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.name(), s.expression(), s.zone(), s.commandTopic(), s.commandType(), s.commandKey(), s.commandPayload(),
                s.missedRunPolicy(), s.startingDeadlineSeconds(), s.concurrencyPolicy(), s.paused(), s.historyLimit(),
                s.oneShot(), Timestamp.from(s.anchor()), timestamp(s.nextFireAt()), s.correlationId(), s.runningCorrelationId(),
                s.jobTimeoutSeconds(), timestamp(s.runningDueAt()), timestamp(s.runningUntil()));
    }

    /** Replaces everything but the name (an update, pause, resume, or a fire moving the schedule on). */
    public void update(StoredSchedule s) {
        jdbc.update("""
                update schedule set expression = ?, zone = ?, command_topic = ?, command_type = ?, command_key = ?,
                    command_payload = ?, missed_run_policy = ?, starting_deadline_seconds = ?, concurrency_policy = ?,
                    paused = ?, history_limit = ?, one_shot = ?, anchor = ?, next_fire_at = ?, correlation_id = ?,
                    running_correlation_id = ?, job_timeout_seconds = ?, running_due_at = ?, running_until = ?,
                    updated_at = now()
                where name = ?""",
                s.expression(), s.zone(), s.commandTopic(), s.commandType(), s.commandKey(), s.commandPayload(),
                s.missedRunPolicy(), s.startingDeadlineSeconds(), s.concurrencyPolicy(), s.paused(), s.historyLimit(),
                s.oneShot(), Timestamp.from(s.anchor()), timestamp(s.nextFireAt()), s.correlationId(),
                s.runningCorrelationId(), s.jobTimeoutSeconds(), timestamp(s.runningDueAt()), timestamp(s.runningUntil()),
                s.name());
    }

    public void delete(String name) {
        jdbc.update("delete from schedule where name = ?", name);
    }

    /**
     * The job with this correlation id ended, if it was started by a command of one of {@code commandTypes}
     * (those the ending event ends): schedules waiting for it may fire again.
     */
    public int jobEnded(String correlationId, Collection<String> commandTypes) {
        return jdbc.update("update schedule set running_correlation_id = null, running_due_at = null, running_until = null "
                + "where running_correlation_id = ? and command_type = any(?)", ps -> {
                    ps.setString(1, correlationId);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", commandTypes.toArray()));
                });
    }

    /** A fire or a miss of one due time. */
    public record FireRow(String schedule, Instant dueAt, String outcome, String reason, String commandId,
                          String correlationId, boolean manual) {
    }

    /** A schedule moved on: its next due time, and the job it now waits for (concurrency 'forbid'), or null. */
    public record Advance(String name, Instant next, StoredSchedule.RunningJob running) {
    }

    /**
     * Records fires and misses in one round trip. A second fire of the same due time violates a unique
     * index: it cannot commit.
     */
    public void recordFires(List<FireRow> rows) {
        jdbc.batchUpdate("insert into schedule_fire (schedule_name, due_at, outcome, reason, command_id, correlation_id, manual) "
                + "values (?, ?, ?, ?, ?, ?, ?)", rows, rows.size(), (ps, r) -> {
                    ps.setString(1, r.schedule());
                    ps.setTimestamp(2, Timestamp.from(r.dueAt()));
                    ps.setString(3, r.outcome());
                    ps.setString(4, r.reason());
                    ps.setString(5, r.commandId());
                    ps.setString(6, r.correlationId());
                    ps.setBoolean(7, r.manual());
                });
    }

    /** Moves schedules on, in one round trip. */
    public void advanceAll(List<Advance> advances) {
        // The rows are locked: the job each waits for is written as the caller decided it (an end seen
        // meanwhile waits for the lock, then clears what was written).
        jdbc.batchUpdate("update schedule set next_fire_at = ?, running_correlation_id = ?, running_due_at = ?, running_until = ? "
                + "where name = ?", advances, advances.size(), (ps, a) -> {
                    ps.setTimestamp(1, timestamp(a.next()));
                    ps.setString(2, a.running() == null ? null : a.running().correlationId());
                    ps.setTimestamp(3, a.running() == null ? null : timestamp(a.running().dueAt()));
                    ps.setTimestamp(4, a.running() == null ? null : timestamp(a.running().until()));
                    ps.setString(5, a.name());
                });
    }

    /** Keeps each schedule's last {@code history_limit} fires and misses. */
    public int trimHistory() {
        return jdbc.update("""
                delete from schedule_fire where id in (
                    select r.id from (select id, schedule_name,
                                             row_number() over (partition by schedule_name order by id desc) as n
                                      from schedule_fire) r
                    join schedule s on s.name = r.schedule_name
                    where r.n > s.history_limit)""");
    }

    /** One-shot schedules that fired long ago: nothing will ever happen to them again. */
    public int deleteFiredOneShots(Instant before) {
        return jdbc.update("delete from schedule where one_shot and next_fire_at is null and updated_at < ?",
                Timestamp.from(before));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static StoredSchedule row(ResultSet rs, int n) throws SQLException {
        long deadline = rs.getLong(9);
        Long startingDeadline = rs.wasNull() ? null : deadline;
        Timestamp next = rs.getTimestamp(15);
        long timeout = rs.getLong(18);
        Long jobTimeout = rs.wasNull() ? null : timeout;
        return new StoredSchedule(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), startingDeadline, rs.getString(10), rs.getBoolean(11),
                rs.getInt(12), rs.getBoolean(13), rs.getTimestamp(14).toInstant(), next == null ? null : next.toInstant(),
                rs.getString(16), rs.getString(17), jobTimeout, instant(rs.getTimestamp(19)), instant(rs.getTimestamp(20)));
    }
}
