package org.wharf.deploy.deployment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The deployments and their steps, in the deploy schema: what runs, where it is, how each ended. */
@Component
public class Deployments {

    /** One deployment, as its row holds it. */
    public record Deployment(String id, String kind, String application, String environment, String ref, String release,
                             String commitId, DeploymentStatus status, String reason, String failedHost, String failedStep,
                             String actor, String correlationId, boolean skipBuild, List<String> noRestart,
                             Instant startedAt, Instant heartbeatAt, Instant endedAt) {
    }

    /** Where a deployment was last seen: the step last started, on which host. */
    public record Position(String host, String step, boolean finished) {
    }

    private final JdbcTemplate jdbc;

    public Deployments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Deployment d) {
        jdbc.update("insert into deployment (id, kind, application, environment, ref, release, status, actor, correlation_id, "
                        + "skip_build, no_restart, started_at, heartbeat_at) values (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                d.id(), d.kind(), d.application(), d.environment(), d.ref(), d.release(), d.actor(), d.correlationId(),
                d.skipBuild(), String.join(",", d.noRestart()), Timestamp.from(d.startedAt()), Timestamp.from(d.startedAt()));
    }

    public Optional<Deployment> find(String id) {
        return jdbc.query("select * from deployment where id = ?", Deployments::deployment, id).stream().findFirst();
    }

    /** The newest deployment of an application's environment. */
    public Optional<Deployment> latest(String application, String environment) {
        return jdbc.query("select * from deployment where application = ? and environment = ? order by started_at desc limit 1",
                Deployments::deployment, application, environment).stream().findFirst();
    }

    /** Running deployments whose runner has said nothing since {@code silentSince}. */
    public List<Deployment> silentSince(Instant silentSince) {
        return jdbc.query("select * from deployment where status = 'running' and heartbeat_at < ?", Deployments::deployment,
                Timestamp.from(silentSince));
    }

    public void heartbeat(Collection<String> ids, Instant now) {
        if (!ids.isEmpty()) {
            jdbc.update("update deployment set heartbeat_at = ? where status = 'running' and id = any (?)", ps -> {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setArray(2, ps.getConnection().createArrayOf("text", ids.toArray()));
            });
        }
    }

    public void commit(String id, String commitId) {
        jdbc.update("update deployment set commit_id = ? where id = ? and commit_id is null", commitId, id);
    }

    public long stepStarted(String id, String host, String step, Instant at) {
        // No heartbeat here: the runner's watch beats for all its deployments, and every host of a batch
        // updating the one deployment row would queue them behind each other's row lock.
        return jdbc.queryForObject("insert into deployment_step (deployment_id, host, step, started_at) values (?, ?, ?, ?) returning seq",
                Long.class, id, host, step, Timestamp.from(at));
    }

    public void stepFinished(long seq, boolean succeeded, Integer exitStatus, long durationMillis, String outputTail,
                             String reason, Instant at) {
        jdbc.update("update deployment_step set finished_at = ?, succeeded = ?, exit_status = ?, duration_ms = ?, output_tail = ?, "
                + "reason = ? where seq = ?", Timestamp.from(at), succeeded, exitStatus, durationMillis, outputTail, reason, seq);
    }

    /** The step a deployment last started (an unfinished one first), if it started any. */
    public Optional<Position> position(String id) {
        return jdbc.query("select host, step, finished_at is not null as finished from deployment_step where deployment_id = ? "
                        + "order by (finished_at is null) desc, seq desc limit 1",
                (rs, n) -> new Position(rs.getString("host"), rs.getString("step"), rs.getBoolean("finished")), id).stream().findFirst();
    }

    /** Ends a running deployment; false when it had ended already (by its runner, or as interrupted). */
    public boolean end(String id, DeploymentStatus status, String reason, String host, String step, Instant at) {
        return jdbc.update("update deployment set status = ?, reason = ?, failed_host = ?, failed_step = ?, ended_at = ? "
                + "where id = ? and status = 'running'", status.word(), reason, host, step, Timestamp.from(at), id) == 1;
    }

    private static Deployment deployment(ResultSet rs, int n) throws SQLException {
        String noRestart = rs.getString("no_restart");
        return new Deployment(rs.getString("id"), rs.getString("kind"), rs.getString("application"), rs.getString("environment"),
                rs.getString("ref"), rs.getString("release"), rs.getString("commit_id"),
                DeploymentStatus.of(rs.getString("status")), rs.getString("reason"),
                rs.getString("failed_host"), rs.getString("failed_step"), rs.getString("actor"), rs.getString("correlation_id"),
                rs.getBoolean("skip_build"), noRestart.isEmpty() ? List.of() : Arrays.asList(noRestart.split(",")),
                instant(rs, "started_at"), instant(rs, "heartbeat_at"), instant(rs, "ended_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
