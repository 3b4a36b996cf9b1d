package org.wharf.cli.backup;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.Terminal;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.message.backup.RestoreCompleted;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf backup restore TARGET --into DB [--drop]}: a backup restored into a database of its server. */
@Command(name = "restore", description = "Restore the latest (or a named) backup of a target into a database of its server.")
public class BackupRestore implements Callable<Integer> {

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
    @Option(names = "--timeout", defaultValue = Backups.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public BackupRestore(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (drop && !yes) {
            confirmDrop();
        }
        RestoreBackup restore = new RestoreBackup(target, backup, into, drop);
        if (!wait) {
            return Backups.askedFor(cli, Messages.RESTORE_BACKUP, target, restore, "restore of " + target + " into " + into, json,
                    Map.of("into", into));
        }
        Envelope answer = Backups.ask(cli, Messages.RESTORE_BACKUP, target, restore, timeout);
        if (Messages.RESTORE_COMPLETED.is(answer)) {
            RestoreCompleted done = Messages.RESTORE_COMPLETED.read(answer);
            if (json) {
                cli.terminal().json(done);
            } else {
                cli.terminal().line("restored " + done.key() + " into " + done.database() + " in " + done.durationMillis()
                        + " ms; rows: " + done.rowCounts());
            }
            return Exit.OK;
        }
        String reason = Backups.reasonOf(answer);
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
