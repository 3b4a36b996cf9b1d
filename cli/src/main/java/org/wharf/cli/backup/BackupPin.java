package org.wharf.cli.backup;

import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupPinned;
import org.wharf.common.message.backup.PinBackup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf backup pin TARGET BACKUP [--unpin]}: a backup kept from retention, or given back to it. */
@Command(name = "pin", description = "Pin a backup, so that retention never deletes it (--unpin: let retention have it again).")
public class BackupPin implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "TARGET", description = "The target's name, as configured.")
    String target;
    @Parameters(index = "1", paramLabel = "BACKUP", description = "The backup's id or key.")
    String backup;
    @Option(names = "--unpin", description = "Unpin it instead.")
    boolean unpin;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public BackupPin(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Envelope answer = Backups.ask(cli, Messages.PIN_BACKUP, target, new PinBackup(target, backup, unpin), Broker.ANSWER_TIMEOUT);
        if (!Messages.BACKUP_PINNED.is(answer)) {
            cli.terminal().progress("wharf: " + (unpin ? "unpin" : "pin") + " refused: "
                    + Backups.reasonOf(answer));
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
