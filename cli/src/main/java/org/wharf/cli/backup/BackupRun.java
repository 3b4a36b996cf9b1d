package org.wharf.cli.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupProgress;
import org.wharf.common.message.backup.BackupStarted;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf backup run TARGET [--wait]}: a backup now, followed with a progress bar when waited for. */
@Command(name = "run", description = "Back up a target now.")
public class BackupRun implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
    String target;
    @Option(names = "--wait", description = "Wait until the backup completed or failed.")
    boolean wait;
    @Option(names = "--timeout", defaultValue = Backups.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public BackupRun(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Envelope first = Backups.ask(cli, Messages.RUN_BACKUP, target, new RunBackup(target), Broker.ANSWER_TIMEOUT);
        Envelope last = first;
        if (wait && Messages.BACKUP_STARTED.is(first)) {
            BackupStarted started = Messages.BACKUP_STARTED.read(first);
            cli.terminal().progress("backing up " + target + " to s3://" + started.bucket() + "/" + started.key() + "...");
            last = awaitEnd(first);
        }
        return show(last);
    }

    /** Follows the backup's records (its correlation) until one ends it. */
    private Envelope awaitEnd(Envelope started) {
        Envelope[] end = new Envelope[1];
        try {
            cli.broker().follow(List.of(Topic.BACKUP_EVENTS.topicName()), started.time().minusSeconds(5),
                    Instant.now().plus(timeout), record -> {
                        Envelope e = Broker.envelopeOrNull(record);
                        if (e == null || !started.correlationId().equals(e.correlationId())) {
                            return true;
                        }
                        if (Messages.BACKUP_PROGRESS.is(e)) {
                            BackupProgress progress = Messages.BACKUP_PROGRESS.read(e);
                            cli.terminal().progress(ProgressBar.line(progress.bytes(), progress.elapsedMillis(), progress.expectedBytes()));
                            return true;
                        }
                        if (Messages.BACKUP_COMPLETED.is(e) || Messages.BACKUP_FAILED.is(e)) {
                            end[0] = e;
                            return false;
                        }
                        return true;
                    });
        } catch (Broker.WaitTimeoutException e) {
            throw new UsageException("the backup of " + target + " did not end within " + timeout);
        }
        return end[0];
    }

    private int show(Envelope answer) {
        String type = answer.type();
        if (Messages.BACKUP_COMPLETED.is(type)) {
            BackupCompleted done = Messages.BACKUP_COMPLETED.read(answer);
            if (json) {
                cli.terminal().json(done);
            } else {
                cli.terminal().line("backup of " + done.target() + " completed: s3://" + done.bucket() + "/" + done.key() + ", "
                        + done.size() + " bytes, sha256 " + done.sha256() + ", " + done.durationMillis() + " ms");
            }
            return Exit.OK;
        }
        if (Messages.BACKUP_STARTED.is(type)) {
            BackupStarted started = Messages.BACKUP_STARTED.read(answer);
            if (json) {
                cli.terminal().json(started);
            } else {
                cli.terminal().line("backup of " + started.target() + " started: s3://" + started.bucket() + "/" + started.key());
            }
            return Exit.OK;
        }
        String reason = Backups.reasonOf(answer);
        if (json) {
            cli.terminal().json(Map.of("target", target, "failed", reason));
        }
        cli.terminal().progress("wharf: backup of " + target + " failed: " + reason);
        return Exit.JOB_FAILED;
    }
}
