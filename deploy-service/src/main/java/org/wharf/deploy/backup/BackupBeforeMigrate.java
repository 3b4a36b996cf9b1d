package org.wharf.deploy.backup;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.outbox.Outbox;

/**
 * The backup a deployment takes before its first migration: a RunBackup sent to the backup-service (in
 * the deployment's correlation, caused by its command), and the answer read back from the backup events,
 * matched by causation, so that nobody else's backup of the same target is taken for it.
 */
@Component
public class BackupBeforeMigrate {

    /** The backup-service's answer: completed (with the backup's id) or failed (with its reason). */
    public record Answer(DeploymentBackupStatus status, String backupId, String reason) {
    }

    /** Why the deployment stopped waiting: the wait ran out, or the deployment ended meanwhile. */
    public static final class NoAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        NoAnswer(String reason) {
            super(reason);
        }
    }

    private static final Duration POLL = Duration.ofMillis(200);

    private final JdbcTemplate jdbc;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;

    public BackupBeforeMigrate(JdbcTemplate jdbc, Outbox outbox, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = Clock.systemUTC();
    }

    /** Sends the RunBackup of a deployment, once: asking again answers the first request. */
    public void ask(String deploymentId, String correlationId, String actor, String target) {
        tx.executeWithoutResult(status -> {
            if (askedFor(deploymentId)) {
                return; // answered or not, a deployment's backup is asked for once
            }
            Envelope command = outbox.append(Messages.RUN_BACKUP, target, new RunBackup(target), deploymentId, correlationId, actor);
            jdbc.update("insert into deployment_backup (deployment_id, command_id, target, status, asked_at) values (?, ?, ?, 'asked', ?)",
                    deploymentId, command.id(), target, Timestamp.from(clock.instant()));
        });
    }

    /** Waits for the answer to the deployment's RunBackup, at most {@code wait}, or until {@code cancelled}. */
    public Answer await(String deploymentId, Duration wait, BooleanSupplier cancelled) throws NoAnswer, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<Answer> answer = answerOf(deploymentId);
            if (answer.isPresent()) {
                return answer.get();
            }
            if (cancelled.getAsBoolean()) {
                throw new NoAnswer("the deployment ended while it waited for its backup");
            }
            if (System.nanoTime() > deadline) {
                throw new NoAnswer("no answer from the backup-service within " + wait + " (wharf.deploy.backup-wait)");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    public void completed(Delivery<BackupCompleted> delivery) {
        answered(delivery, DeploymentBackupStatus.COMPLETED, delivery.payload().backupId(), null);
    }

    public void failed(Delivery<BackupFailed> delivery) {
        answered(delivery, DeploymentBackupStatus.FAILED, delivery.payload().backupId(), delivery.payload().reason());
    }

    /** The backup-service refused the RunBackup (its deadline passed, say): that is a failed backup too. */
    public void rejected(Delivery<CommandRejected> delivery) {
        answered(delivery, DeploymentBackupStatus.FAILED, null, "the backup-service refused the backup: " + delivery.payload().reason());
    }

    private void answered(Delivery<?> delivery, DeploymentBackupStatus status, String backupId, String reason) {
        String cause = delivery.envelope().causationId();
        if (cause == null || jdbc.queryForList("select 1 from deployment_backup where command_id = ? and status = 'asked'", cause).isEmpty()) {
            return; // another backup's answer: not ours to record
        }
        delivery.handleOnce(() -> jdbc.update("update deployment_backup set status = ?, backup_id = ?, reason = ?, answered_at = ? "
                + "where command_id = ? and status = 'asked'", status.word(), backupId, reason, Timestamp.from(clock.instant()), cause));
    }

    private boolean askedFor(String deploymentId) {
        return !jdbc.queryForList("select 1 from deployment_backup where deployment_id = ?", deploymentId).isEmpty();
    }

    private Optional<Answer> answerOf(String deploymentId) {
        return jdbc.query("select status, backup_id, reason from deployment_backup where deployment_id = ? and status <> 'asked'",
                (rs, n) -> new Answer(DeploymentBackupStatus.of(rs.getString("status")), rs.getString("backup_id"),
                        rs.getString("reason")), deploymentId)
                .stream().findFirst();
    }
}
