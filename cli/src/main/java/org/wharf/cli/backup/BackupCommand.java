package org.wharf.cli.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.Terminal;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.BackupPinned;
import org.wharf.common.message.backup.BackupProgress;
import org.wharf.common.message.backup.PinBackup;
import org.wharf.common.message.backup.BackupStarted;
import org.wharf.common.message.backup.BackupPruned;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.backup.PruneBackups;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.message.backup.RestoreCompleted;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf backup run | list | restore | verify | prune | pin}: backups of the backup-service's targets. */
@Command(name = "backup", description = "Back up databases to S3, and see the backups.",
        subcommands = {BackupCommand.Run.class, BackupCommand.ListBackups.class, BackupCommand.Restore.class,
                BackupCommand.Verify.class, BackupCommand.Prune.class, BackupCommand.Pin.class})
public class BackupCommand {

    /** How long --wait waits by default: longer than a backup's, restore's or verification's deadline (2h). */
    public static final String WAIT_DEFAULT = "PT3H";

    /** Sends a command about {@code target} to the backup-service; its answer (an event, or a refusal). */
    private static <T> Envelope ask(Cli cli, MessageType<T> type, String target, T command, Duration timeout) {
        return cli.broker().request(type, target, command, cli.actor(), null, Topic.BACKUP_EVENTS, timeout, "backup-service");
    }

    /** Without --wait: the command is sent, and the operator told how to follow it ({@code fields}: more for --json). */
    private static <T> int askedFor(Cli cli, MessageType<T> type, String target, T command, String what, boolean json,
                                    Map<String, Object> fields) {
        Envelope sent = cli.broker().publish(type, target, command, cli.actor(), null);
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("target", target);
            document.putAll(fields);
            document.put("correlationId", sent.correlationId());
            cli.terminal().json(document);
        } else {
            cli.terminal().line(what + " asked for; follow it: wharf audit tail --correlation " + sent.correlationId());
        }
        return Exit.OK;
    }

    /** The reason a failure (BackupFailed, RestoreFailed) or a refusal gives. */
    private static String reasonOf(Envelope answer) {
        if (answer.type().equals(Messages.BACKUP_FAILED.type())) {
            return Messages.BACKUP_FAILED.read(answer).reason();
        }
        if (answer.type().equals(Messages.RESTORE_FAILED.type())) {
            return Messages.RESTORE_FAILED.read(answer).reason();
        }
        return Messages.BACKUP_COMMAND_REJECTED.read(answer).reason();
    }

    @Command(name = "run", description = "Back up a target now.")
    public static class Run implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
        String target;
        @Option(names = "--wait", description = "Wait until the backup completed or failed.")
        boolean wait;
        @Option(names = "--timeout", defaultValue = BackupCommand.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
        Duration timeout;
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        public Run(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Envelope first = ask(cli, Messages.RUN_BACKUP, target, new RunBackup(target), Broker.ANSWER_TIMEOUT);
            Envelope last = first;
            if (wait && first.type().equals(Messages.BACKUP_STARTED.type())) {
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
                            if (e.type().equals(Messages.BACKUP_PROGRESS.type())) {
                                BackupProgress progress = Messages.BACKUP_PROGRESS.read(e);
                                cli.terminal().progress(ProgressBar.line(progress.bytes(), progress.elapsedMillis(), progress.expectedBytes()));
                                return true;
                            }
                            if (e.type().equals(Messages.BACKUP_COMPLETED.type()) || e.type().equals(Messages.BACKUP_FAILED.type())) {
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
            if (type.equals(Messages.BACKUP_COMPLETED.type())) {
                BackupCompleted done = Messages.BACKUP_COMPLETED.read(answer);
                if (json) {
                    cli.terminal().json(done);
                } else {
                    cli.terminal().line("backup of " + done.target() + " completed: s3://" + done.bucket() + "/" + done.key() + ", "
                            + done.size() + " bytes, sha256 " + done.sha256() + ", " + done.durationMillis() + " ms");
                }
                return Exit.OK;
            }
            if (type.equals(Messages.BACKUP_STARTED.type())) {
                BackupStarted started = Messages.BACKUP_STARTED.read(answer);
                if (json) {
                    cli.terminal().json(started);
                } else {
                    cli.terminal().line("backup of " + started.target() + " started: s3://" + started.bucket() + "/" + started.key());
                }
                return Exit.OK;
            }
            String reason = reasonOf(answer);
            if (json) {
                cli.terminal().json(Map.of("target", target, "failed", reason));
            }
            cli.terminal().progress("wharf: backup of " + target + " failed: " + reason);
            return Exit.JOB_FAILED;
        }
    }

    @Command(name = "restore", description = "Restore the latest (or a named) backup of a target into a database of its server.")
    public static class Restore implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
        String target;
        @Option(names = "--backup", paramLabel = "NAME", description = "The backup's id or key (default: the latest completed).")
        String backup;
        @Option(names = "--into", required = true, paramLabel = "DB", description = "The database to restore into.")
        String into;
        @Option(names = "--drop", description = "Replace the database (or directory) if it exists; asks to type its name.")
        boolean drop;
        @Option(names = "--yes", description = "Replace without asking (needed with --drop when not on a terminal).")
        boolean yes;
        @Option(names = "--wait", description = "Wait until the restore completed or failed (else: only ask for it).")
        boolean wait;
        @Option(names = "--timeout", defaultValue = BackupCommand.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
        Duration timeout;
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        public Restore(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            if (drop && !yes) {
                confirmDrop();
            }
            RestoreBackup restore = new RestoreBackup(target, backup, into, drop);
            if (!wait) {
                return askedFor(cli, Messages.RESTORE_BACKUP, target, restore, "restore of " + target + " into " + into, json,
                        Map.of("into", into));
            }
            Envelope answer = ask(cli, Messages.RESTORE_BACKUP, target, restore, timeout);
            if (answer.type().equals(Messages.RESTORE_COMPLETED.type())) {
                RestoreCompleted done = Messages.RESTORE_COMPLETED.read(answer);
                if (json) {
                    cli.terminal().json(done);
                } else {
                    cli.terminal().line("restored " + done.key() + " into " + done.database() + " in " + done.durationMillis()
                            + " ms; rows: " + done.rowCounts());
                }
                return Exit.OK;
            }
            String reason = reasonOf(answer);
            if (json) {
                cli.terminal().json(Map.of("target", target, "into", into, "failed", reason));
            }
            cli.terminal().progress("wharf: restore of " + target + " into " + into + " failed: " + reason);
            return Exit.JOB_FAILED;
        }

        /** --drop replaces what is there: a person types its name to go on; a script says --yes. */
        private void confirmDrop() {
            Terminal.Input input = cli.terminal().input();
            if (!input.isTerminal()) {
                throw new UsageException("--drop replaces " + into + " if it exists: add --yes to confirm when not on a terminal");
            }
            String typed = input.readLine("--drop replaces " + into + " with a backup of " + target
                    + " if it exists. Type " + into + " to go on: ");
            if (typed == null || !typed.strip().equals(into)) {
                throw new UsageException("restore of " + target + " into " + into + " not confirmed: nothing was done");
            }
        }
    }

    @Command(name = "verify", description = "Check a backup's sha256 and that it restores (into a scratch database, dropped after).")
    public static class Verify implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
        String target;
        @Option(names = "--backup", paramLabel = "NAME", description = "The backup's id or key (default: the latest completed).")
        String backup;
        @Option(names = "--wait", description = "Wait for the verdict: good (exit 0) or not (exit 1) (else: only ask for it).")
        boolean wait;
        @Option(names = "--timeout", defaultValue = BackupCommand.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
        Duration timeout;
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        public Verify(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            if (!wait) {
                return askedFor(cli, Messages.VERIFY_BACKUP, target, new VerifyBackup(target, backup), "verification of " + target, json, Map.of());
            }
            Envelope answer = ask(cli, Messages.VERIFY_BACKUP, target, new VerifyBackup(target, backup), timeout);
            if (!answer.type().equals(Messages.BACKUP_VERIFIED.type())) {
                String reason = reasonOf(answer);
                cli.terminal().progress("wharf: verification of " + target + " refused: " + reason);
                return Exit.JOB_FAILED;
            }
            BackupVerified verdict = Messages.BACKUP_VERIFIED.read(answer);
            if (json) {
                cli.terminal().json(verdict);
            } else if (verdict.ok()) {
                cli.terminal().line("backup " + verdict.key() + " of " + target + " is good: it restores; rows: " + verdict.rowCounts());
            }
            if (!verdict.ok()) {
                cli.terminal().progress("wharf: backup of " + target + " is not good: " + verdict.problem());
                return Exit.JOB_FAILED;
            }
            return Exit.OK;
        }
    }

    @Command(name = "prune", description = "Apply the target's retention now (keep-last, max-age, never below min-keep, never a pinned one).")
    public static class Prune implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
        String target;
        @Option(names = "--dry-run", description = "Only list what would be deleted (waits for the list, as --wait).")
        boolean dryRun;
        @Option(names = "--wait", description = "Wait until the prune is done and list what it deleted (else: only ask for it).")
        boolean wait;
        @Option(names = "--timeout", defaultValue = BackupCommand.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
        Duration timeout;
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        public Prune(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            PruneBackups prune = new PruneBackups(target, dryRun);
            if (!wait && !dryRun) {
                return askedFor(cli, Messages.PRUNE_BACKUPS, target, prune, "prune of " + target, json, Map.of());
            }
            Envelope answer = ask(cli, Messages.PRUNE_BACKUPS, target, prune, timeout);
            if (!answer.type().equals(Messages.BACKUP_PRUNED.type())) {
                cli.terminal().progress("wharf: prune of " + target + " refused: " + reasonOf(answer));
                return Exit.JOB_FAILED;
            }
            BackupPruned pruned = Messages.BACKUP_PRUNED.read(answer);
            if (json) {
                cli.terminal().json(pruned);
                return Exit.OK;
            }
            cli.terminal().line((dryRun ? "would delete " : "deleted ") + pruned.deleted().size() + " backup(s) of " + target
                    + "; " + pruned.kept() + " kept" + (pruned.strays() > 0 ? "; " + pruned.strays()
                    + " object(s) under backup/" + target + "/ are not Wharf's backups: left alone" : ""));
            pruned.deleted().forEach(key -> cli.terminal().line("  " + key));
            return Exit.OK;
        }
    }

    @Command(name = "list", description = "The backups, newest last, from the backup-service's events.")
    public static class ListBackups implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", arity = "0..1", paramLabel = "TARGET", description = "Only this target's.")
        String target;
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        public ListBackups(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            List<Envelope> events = new ArrayList<>();
            cli.broker().read(Topic.BACKUP_EVENTS.topicName(), null, false, null, record -> {
                Envelope e = Broker.envelopeOrNull(record);
                if (e != null && (target == null || target.equals(record.key()))) {
                    events.add(e);
                }
                return true;
            });
            List<BackupHistory.Backup> backups = BackupHistory.of(events).backups();
            if (json) {
                cli.terminal().json(backups);
                return Exit.OK;
            }
            for (BackupHistory.Backup b : backups) {
                cli.terminal().line(b.startedAt() + "  " + b.target() + "  " + b.status() + "  "
                        + b.key() + (b.size() != null ? "  " + b.size() + " bytes" : "")
                        + (Boolean.TRUE.equals(b.pinned()) ? "  pinned" : "")
                        + (b.verified() != null ? b.verifiedGood() ? "  verified" : "  NOT GOOD: " + b.verified() : "")
                        + (b.reason() != null ? "  " + b.reason() : ""));
            }
            return Exit.OK;
        }
    }

    @Command(name = "pin", description = "Pin a backup, so that retention never deletes it (--unpin: let retention have it again).")
    public static class Pin implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
        String target;
        @Parameters(index = "1", paramLabel = "BACKUP", description = "The backup's id or key.")
        String backup;
        @Option(names = "--unpin", description = "Unpin it instead.")
        boolean unpin;
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        public Pin(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Envelope answer = ask(cli, Messages.PIN_BACKUP, target, new PinBackup(target, backup, unpin), Broker.ANSWER_TIMEOUT);
            if (!answer.type().equals(Messages.BACKUP_PINNED.type())) {
                cli.terminal().progress("wharf: " + (unpin ? "unpin" : "pin") + " refused: "
                        + reasonOf(answer));
                return Exit.JOB_FAILED;
            }
            BackupPinned pinned = Messages.BACKUP_PINNED.read(answer);
            if (json) {
                cli.terminal().json(pinned);
            } else {
                cli.terminal().line(pinned.key() + (pinned.pinned() ? " is pinned: retention never deletes it" : " is unpinned"));
            }
            return Exit.OK;
        }
    }
}
