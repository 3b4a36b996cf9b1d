package org.wharf.cli.backup;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupPruned;
import org.wharf.common.message.backup.PruneBackups;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf backup prune TARGET [--dry-run]}: the target's retention applied now. */
@Command(name = "prune", description = "Apply the target's retention now (keep-last, max-age, never below min-keep, never a pinned one).")
public class BackupPrune implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
    String target;
    @Option(names = "--dry-run", description = "Only list what would be deleted (waits for the list, as --wait).")
    boolean dryRun;
    @Option(names = "--wait", description = "Wait until the prune is done and list what it deleted (else: only ask for it).")
    boolean wait;
    @Option(names = "--timeout", defaultValue = Backups.WAIT_DEFAULT, description = "How long --wait waits (default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public BackupPrune(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        PruneBackups prune = new PruneBackups(target, dryRun);
        if (!wait && !dryRun) {
            return Backups.askedFor(cli, Messages.PRUNE_BACKUPS, target, prune, "prune of " + target, json, Map.of());
        }
        Envelope answer = Backups.ask(cli, Messages.PRUNE_BACKUPS, target, prune, timeout);
        if (!Messages.BACKUP_PRUNED.is(answer)) {
            cli.terminal().progress("wharf: prune of " + target + " refused: " + Backups.reasonOf(answer));
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
