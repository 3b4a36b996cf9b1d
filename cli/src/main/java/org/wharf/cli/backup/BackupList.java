package org.wharf.cli.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf backup list [TARGET]}: the backups, folded from the backup-service's events. */
@Command(name = "list", description = "The backups, newest last, from the backup-service's events.")
public class BackupList implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TARGET", description = "Only this target's.")
    String target;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public BackupList(Cli cli) {
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
            cli.terminal().line(b.startedAt() + "  " + b.target() + "  " + b.status().word() + "  "
                    + b.key() + (b.size() != null ? "  " + b.size() + " bytes" : "")
                    + (Boolean.TRUE.equals(b.pinned()) ? "  pinned" : "")
                    + (b.verified() != null ? b.verifiedGood() ? "  verified" : "  NOT GOOD: " + b.verified() : "")
                    + (b.reason() != null ? "  " + b.reason() : ""));
        }
        return Exit.OK;
    }
}
