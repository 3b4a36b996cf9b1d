package org.wharf.deploy.lock;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The deploy lock of each application and environment, held in the deploy schema (a row, whose
 * primary key makes two holders impossible), as Deployer's lock file names its holder: a second
 * deploy is refused with who holds it, since when, why, and the deployment's correlation id. An
 * operator may take a lock away ({@code wharf deploy unlock APP ENV --reason R}); the event log says
 * who did and why.
 */
@Component
public class DeployLocks {

    /** Who holds a lock, and for what. */
    public record Lock(String application, String environment, String holder, String reason, String correlationId,
                       Instant acquiredAt) {

        /** One line: {@code held by alice since 2026-12-02T03:04:05Z for deploy main (deployment 0b6c…)}. */
        public String describe() {
            return "held by " + holder + " since " + acquiredAt + " for " + reason + " (deployment " + correlationId + ")";
        }
    }

    /** The answer to an acquisition: the lock is ours (then {@code lock} is it), or another's (then {@code lock} is theirs). */
    public record Acquisition(boolean acquired, Lock lock) {
    }

    private static final RowMapper<Lock> LOCK = (rs, n) -> new Lock(rs.getString("application"), rs.getString("environment"),
            rs.getString("holder"), rs.getString("reason"), rs.getString("correlation_id"),
            rs.getTimestamp("acquired_at").toInstant());

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    @Autowired
    public DeployLocks(JdbcTemplate jdbc, TransactionTemplate tx) {
        this(jdbc, tx, Clock.systemUTC());
    }

    public DeployLocks(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Takes the lock for the deployment {@code correlationId}. Taking it again for the same deployment
     * (a redelivered command) answers acquired; another deployment gets the holder, and the refusal is
     * logged in the events.
     */
    public Acquisition acquire(String application, String environment, String holder, String reason, String correlationId) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            int inserted = jdbc.update("insert into deploy_lock (application, environment, holder, reason, correlation_id, acquired_at) "
                    + "values (?, ?, ?, ?, ?, ?) on conflict (application, environment) do nothing",
                    application, environment, holder, reason, correlationId, Timestamp.from(now));
            Lock current = held(application, environment).orElseThrow();
            if (inserted == 1) {
                event(now, current, "acquired", null, null);
                return new Acquisition(true, current);
            }
            if (current.correlationId().equals(correlationId)) {
                return new Acquisition(true, current);
            }
            event(now, new Lock(application, environment, holder, reason, correlationId, now), "refused", null, current.describe());
            return new Acquisition(false, current);
        });
    }

    /** Releases the lock if the deployment {@code correlationId} holds it; true when it did. */
    public boolean release(String application, String environment, String correlationId) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            List<Lock> released = jdbc.query("delete from deploy_lock where application = ? and environment = ? and correlation_id = ? "
                    + "returning *", LOCK, application, environment, correlationId);
            released.forEach(lock -> event(clock.instant(), lock, "released", null, null));
            return !released.isEmpty();
        }));
    }

    /** An operator takes the lock away, whoever holds it; answers the lock that was held, if any. */
    public Optional<Lock> unlock(String application, String environment, String byWhom, String why) {
        return tx.execute(status -> {
            List<Lock> released = jdbc.query("delete from deploy_lock where application = ? and environment = ? returning *", LOCK,
                    application, environment);
            released.forEach(lock -> event(clock.instant(), lock, "unlocked", byWhom, why));
            return released.stream().findFirst();
        });
    }

    public Optional<Lock> held(String application, String environment) {
        return jdbc.query("select * from deploy_lock where application = ? and environment = ?", LOCK, application, environment)
                .stream().findFirst();
    }

    private void event(Instant at, Lock lock, String event, String byWhom, String note) {
        jdbc.update("insert into deploy_lock_event (at, application, environment, event, holder, reason, correlation_id, by_whom, note) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)", Timestamp.from(at), lock.application(), lock.environment(), event,
                lock.holder(), lock.reason(), lock.correlationId(), byWhom, note);
    }
}
