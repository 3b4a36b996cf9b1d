package org.wharf.cli.deposit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf deposit submit ARCHIVE METADATA}: the archive uploaded and DepositReceived sent. */
@Command(name = "submit", description = "Upload an archive and its metadata, and ask for them to be checked and loaded.")
public class SubmitDeposit implements Callable<Integer> {

    private final Cli cli;

    @Option(names = "--client", required = true, description = "The depositing client's username.")
    String client;
    @Option(names = "--collection", required = true, description = "The collection deposited into.")
    String collection;
    @Option(names = "--archive", required = true, description = "The archive: zip, tar, tar.gz, tar.bz2 or tar.xz.")
    Path archive;
    @Option(names = "--metadata", required = true, description = "The Atom entry describing the deposit.")
    Path metadata;
    @Option(names = "--origin", description = "The origin URL the deposit belongs to.")
    String origin;
    @Option(names = "--wait", description = "Follow the deposit until it is done, rejected or failed.")
    boolean wait;
    @Option(names = "--timeout", defaultValue = "PT10M", description = "How long --wait waits (90s, 10m, 2h or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public SubmitDeposit(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DepositSubmission submission = DepositSubmission.submit(cli, client, collection, archive, metadata, origin);
        if (!wait) {
            Deposits.show(cli, submission.asSent(), json);
            return Exit.OK;
        }
        DepositStatus status = new DepositFollow(cli, timeout).follow(submission.depositId(), submission.submitted().minusSeconds(5));
        Deposits.show(cli, status, json);
        return status.succeeded() ? Exit.OK : Exit.JOB_FAILED;
    }
}
