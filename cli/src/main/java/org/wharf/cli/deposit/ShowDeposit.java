package org.wharf.cli.deposit;

import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf deposit status ID}: a deposit's status, folded from its records. */
@Command(name = "status", description = "Show a deposit's status, its history, problems and identifiers.")
public class ShowDeposit implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "ID", description = "The deposit id.")
    String depositId;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public ShowDeposit(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DepositStatus status = Deposits.current(cli, depositId);
        if (status.history().isEmpty()) {
            throw new UsageException("no deposit " + depositId + " is known");
        }
        Deposits.show(cli, status, json);
        return status.endedBadly() ? Exit.JOB_FAILED : Exit.OK;
    }
}
