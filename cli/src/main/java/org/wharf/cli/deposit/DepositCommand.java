package org.wharf.cli.deposit;

import picocli.CommandLine.Command;

/** {@code wharf deposit submit|status|list|check|reschedule}: deposits, and their status. */
@Command(name = "deposit", description = "Submit deposits and follow their status.",
        subcommands = {SubmitDeposit.class, ShowDeposit.class, ListDeposits.class, CheckAgain.class,
                Reschedule.class})
public class DepositCommand {
}
