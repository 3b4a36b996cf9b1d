package org.wharf.cli.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.wharf.cli.backup.BackupHistory;
import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf probe backup TARGET}: CRITICAL when the target's newest good backup (completed, still kept,
 * and not found bad by its latest verification) is older than {@code --max-age}, when there is none, or when
 * the newest backup failed its verification.
 */
@Command(name = "backup", description = {"CRITICAL when the target's newest completed backup that no verification found bad "
        + "is older than --max-age (or there is none, or the newest one failed its verification).",
        "Output: BACKUP OK - sample: newest backup 2h 5m old, verified good (backup/sample/...) | age=7500s;;93600"})
public class ProbeBackup extends Probe {

    @Parameters(index = "0", paramLabel = "TARGET", description = "The backup target.")
    String target;
    @Option(names = "--max-age", defaultValue = "26h", description = "How old the newest good backup may be (90s, 10m, 26h, 7d or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration maxAge;

    public ProbeBackup(Cli cli) {
        super(cli, "BACKUP");
    }

    @Override
    protected ProbeResult check() {
        List<Envelope> events = cli.broker().recordsOfKey(List.of(Topic.BACKUP_EVENTS), target).stream()
                .map(Broker::envelopeOrNull).filter(Objects::nonNull).toList();
        BackupHistory history = BackupHistory.of(events);
        Optional<BackupHistory.Backup> newest = history.newestKept();
        if (newest.isPresent() && newest.get().verified() != null && !newest.get().verifiedGood()) {
            return result(PluginStatus.CRITICAL, target + ": newest backup " + newest.get().key()
                    + " failed its verification: " + newest.get().verified(), "");
        }
        Optional<BackupHistory.Backup> good = history.backups().stream()
                .filter(b -> b.kept() && (b.verified() == null || b.verifiedGood())).reduce((older, newer) -> newer);
        if (good.isEmpty()) {
            return result(PluginStatus.CRITICAL, target + ": no completed backup", "");
        }
        BackupHistory.Backup backup = good.get();
        Instant completed = backup.completedAt() != null ? backup.completedAt() : backup.startedAt();
        Duration age = Duration.between(completed, Instant.now());
        String perf = "age=" + Math.max(0, age.toSeconds()) + "s;;" + maxAge.toSeconds();
        String text = target + ": newest backup " + ProbeResult.age(age) + " old"
                + (backup.verifiedGood() ? ", verified good" : ", not verified yet") + " (" + backup.key() + ")";
        return result(age.compareTo(maxAge) > 0 ? PluginStatus.CRITICAL : PluginStatus.OK,
                text + (age.compareTo(maxAge) > 0 ? ", older than " + ProbeResult.age(maxAge) : ""), perf);
    }
}
