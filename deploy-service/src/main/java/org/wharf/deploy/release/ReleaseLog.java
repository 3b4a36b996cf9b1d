package org.wharf.deploy.release;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The releases of each application's environment that went live, in the deploy schema: good, or bad
 * once they failed after their switch (a rollback never picks a bad one), and which one is live now.
 */
@Component
public class ReleaseLog {

    public record Release(String name, String deploymentId, String ref, String commitId, String hosts, String deployedBy,
                          Instant deployedAt, ReleaseStatus status, String badReason, boolean current) {
    }

    private final JdbcTemplate jdbc;

    public ReleaseLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The name of a new release made at {@code now}: its UTC second, or one second after the newest
     * release the log knows, so that two deploys within a second never share a folder.
     */
    public String nextName(String application, String environment, Instant now) {
        String candidate = ReleaseFolders.nameFor(now);
        String newest = jdbc.queryForObject("select max(release) from deployment where application = ? and environment = ? "
                + "and kind = 'deploy'", String.class, application, environment);
        if (newest != null && newest.compareTo(candidate) >= 0) {
            return ReleaseFolders.nameFor(ReleaseFolders.NAME.parse(newest, Instant::from).plus(Duration.ofSeconds(1)));
        }
        return candidate;
    }

    /** A release went live and healthy: it is good, and current. */
    public void live(String application, String environment, String name, String deploymentId, String ref, String commitId,
                     List<String> hosts, String deployedBy, Instant at) {
        jdbc.update("insert into release (application, environment, name, deployment_id, ref, commit_id, hosts, deployed_by, deployed_at, "
                        + "status, made_current_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'good', ?)",
                application, environment, name, deploymentId, ref, commitId, String.join(",", hosts), deployedBy,
                Timestamp.from(at), Timestamp.from(at));
    }

    /** A release that failed after its switch: kept in the log as bad, so that no rollback picks it. */
    public void bad(String application, String environment, String name, String deploymentId, String ref, String commitId,
                    List<String> hosts, String deployedBy, Instant at, String reason) {
        jdbc.update("insert into release (application, environment, name, deployment_id, ref, commit_id, hosts, deployed_by, deployed_at, "
                        + "status, bad_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'bad', ?) "
                        + "on conflict (application, environment, name) do update set status = 'bad', bad_reason = excluded.bad_reason",
                application, environment, name, deploymentId, ref, commitId, String.join(",", hosts), deployedBy,
                Timestamp.from(at), reason);
    }

    /** An existing release is live again (a rollback to it). */
    public void madeCurrent(String application, String environment, String name, Instant at) {
        jdbc.update("update release set made_current_at = ? where application = ? and environment = ? and name = ?",
                Timestamp.from(at), application, environment, name);
    }

    public Optional<Release> find(String application, String environment, String name) {
        return all(application, environment).stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The release live now, as the log knows it. */
    public Optional<Release> current(String application, String environment) {
        return all(application, environment).stream().filter(Release::current).findFirst();
    }

    /** The newest good release older than {@code name}: where a rollback goes by default. */
    public Optional<Release> goodBefore(String application, String environment, String name) {
        return all(application, environment).stream()
                .filter(r -> r.status() == ReleaseStatus.GOOD && r.name().compareTo(name) < 0).findFirst();
    }

    /** Every release of the log, newest first. */
    public List<Release> all(String application, String environment) {
        return jdbc.query("select r.*, r.made_current_at = (select max(made_current_at) from release c "
                        + "where c.application = r.application and c.environment = r.environment) as is_current "
                        + "from release r where application = ? and environment = ? order by name desc",
                (rs, n) -> new Release(rs.getString("name"), rs.getString("deployment_id"), rs.getString("ref"),
                        rs.getString("commit_id"), rs.getString("hosts"), rs.getString("deployed_by"),
                        rs.getTimestamp("deployed_at").toInstant(), ReleaseStatus.of(rs.getString("status")),
                        rs.getString("bad_reason"),
                        rs.getBoolean("is_current")),
                application, environment);
    }
}
