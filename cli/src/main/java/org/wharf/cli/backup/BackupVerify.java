package org.wharf.cli.backup;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.backup.VerifyBackup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf backup verify TARGET}: a backup's sha256 checked and a scratch restore of it. */
@Command(name = "verify", description = "Check a backup's sha256 and that it restores (into a scratch database, dropped after).")
public class BackupVerify implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
    String target;
    @Option(names = "--backup", paramLabel = "NAME", description = "The backup's id or key (default: the latest completed).")
    String backup;
    @Option(names = "--wait", description = "Wait for the verdict: good (exit 0) or not (exit 1) (else: only ask for it).")
    boolean wait;
    @Option(names = "--timeout", defaultValue = Backups.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public BackupVerify(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (!wait) {
            return Backups.askedFor(cli, Messages.VERIFY_BACKUP, target, new VerifyBackup(target, backup), "verification of " + target, json, Map.of());
        }
        Envelope answer = Backups.ask(cli, Messages.VERIFY_BACKUP, target, new VerifyBackup(target, backup), timeout);
        if (!Messages.BACKUP_VERIFIED.is(answer)) {
            String reason = Backups.reasonOf(answer);
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
