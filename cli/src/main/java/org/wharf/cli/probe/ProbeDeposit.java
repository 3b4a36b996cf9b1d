package org.wharf.cli.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.wharf.cli.deposit.DepositState;
import org.wharf.cli.deposit.DepositStatus;
import org.wharf.cli.deposit.DepositSubmission;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.UsageException;
import org.wharf.loader.swhid.ArchiveTreeHasher;
import org.wharf.loader.swhid.SwhIdentifiers;
import org.wharf.loader.swhid.UnsupportedArchiveException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf probe deposit}: a deposit made, followed and checked as Software Heritage's icinga deposit
 * check does: CRITICAL when it is rejected or its load fails, when the directory id the loader reports is
 * not the one of the archive's tree (computed here, before submitting), or when the metadata does not read
 * back as sent; otherwise its total time, submit to done, graded against the thresholds.
 */
@Command(name = "deposit", description = {"Submit a deposit, follow it to its end, check its swh:1:dir: against the archive's "
        + "tree (computed locally) and that its metadata reads back, and grade the total time.",
        "Output: DEPOSIT OK - done in 3.2 s, swh:1:dir:... | total=3.2s;120;3600"})
public class ProbeDeposit extends Probe {

    @Option(names = "--archive", required = true, description = "The archive to deposit (zip or tar, as 'deposit submit').")
    Path archive;
    @Option(names = "--metadata", required = true, description = "Its Atom metadata entry.")
    Path metadata;
    @Option(names = "--warning", defaultValue = "120", paramLabel = "SECONDS", description = "WARNING when submit to done takes longer (default ${DEFAULT-VALUE}).")
    double warning;
    @Option(names = "--critical", defaultValue = "3600", paramLabel = "SECONDS",
            description = "CRITICAL when it takes longer; the probe stops waiting then (default ${DEFAULT-VALUE}).")
    double critical;
    @Option(names = "--client", defaultValue = "probe", description = "The depositing client (default ${DEFAULT-VALUE}; create it once with 'wharf client create').")
    String client;
    @Option(names = "--collection", defaultValue = "probe", description = "The collection deposited into (default ${DEFAULT-VALUE}).")
    String collection;
    @Option(names = "--origin", description = "The origin URL the probe's deposits belong to, under the client's provider URL "
            + "(or give it in the metadata, as swh:deposit/swh:create_origin).")
    String origin;

    public ProbeDeposit(Cli cli) {
        super(cli, "DEPOSIT");
    }

    /** The archive's tree id and the metadata's digest, computed before anything is sent. */
    private String expected;
    private String metadataSha256;

    @Override
    protected void prepare() {
        if (warning <= 0 || critical <= 0 || warning > critical) {
            throw new UsageException("--warning " + warning + " and --critical " + critical + " must be positive, the warning no larger");
        }
        expected = directoryOf(archive);
        metadataSha256 = DepositSubmission.sha256(metadata);
    }

    @Override
    protected ProbeResult check() {
        long start = System.nanoTime();
        DepositSubmission submission = DepositSubmission.submit(cli, client, collection, archive, metadata, origin);
        long elapsedSoFar = System.nanoTime() - start;
        Duration waitAtMost = Duration.ofNanos(Math.max(0, (long) (critical * 1e9) - elapsedSoFar));
        Optional<DepositStatus> ended = submission.follow(cli, waitAtMost, line -> { });
        double total = (System.nanoTime() - start) / 1e9;
        String perf = ProbeResult.perfSeconds("total", total, warning, critical);
        String id = submission.depositId();
        if (ended.isEmpty()) {
            DepositStatus now = submission.now(cli);
            return result(PluginStatus.CRITICAL, "deposit " + id + " not done after " + ProbeResult.seconds(total)
                    + " (" + now.status().word() + ")", perf);
        }
        DepositStatus status = ended.get();
        if (status.status() == DepositState.REJECTED) {
            return result(PluginStatus.CRITICAL, "deposit " + id + " rejected: "
                    + String.join("; ", status.problems().lines()), perf);
        }
        if (!status.succeeded()) {
            return result(PluginStatus.CRITICAL, "deposit " + id + " " + status.status().word()
                    + (status.reason() != null ? ": " + status.reason() : ""), perf);
        }
        if (!expected.equals(status.directory())) {
            return result(PluginStatus.CRITICAL, "deposit " + id + " loaded as " + status.directory()
                    + ", but its archive's tree is " + expected, perf);
        }
        if (!submission.storedMetadataSha256(cli).map(metadataSha256::equals).orElse(false)) {
            return result(PluginStatus.CRITICAL, "deposit " + id + " done, but its metadata does not read back as sent", perf);
        }
        PluginStatus graded = total > critical ? PluginStatus.CRITICAL : total > warning ? PluginStatus.WARNING : PluginStatus.OK;
        return result(graded, "done in " + ProbeResult.seconds(total) + ", " + status.directory(), perf);
    }

    /** The swh:1:dir: of the archive's tree, as the loader computes it; an archive it cannot read makes the probe UNKNOWN. */
    private static String directoryOf(Path archive) {
        if (!Files.isRegularFile(archive) || !Files.isReadable(archive)) {
            throw new UsageException("--archive " + archive + ": no such readable file");
        }
        try (InputStream in = Files.newInputStream(archive)) {
            Path scratch = Files.createTempDirectory("wharf-probe-");
            try {
                return SwhIdentifiers.swhid("dir", new ArchiveTreeHasher().rootDirectoryId(in, scratch));
            } finally {
                Files.deleteIfExists(scratch);
            }
        } catch (UnsupportedArchiveException e) {
            throw new UsageException("--archive " + archive + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
