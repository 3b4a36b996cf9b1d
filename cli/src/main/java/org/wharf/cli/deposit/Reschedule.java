package org.wharf.cli.deposit;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositRescheduled;
import org.wharf.common.message.deposit.RescheduleDeposit;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf deposit reschedule ID}: a done or failed deposit loaded again. */
@Command(name = "reschedule", description = "Load a done or failed deposit again (its identifiers are cleared), "
        + "as Software Heritage's 'deposit reschedule'.")
public class Reschedule implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "ID", description = "The deposit id.")
    String depositId;
    @Option(names = "--wait", description = "Follow the deposit until it is loaded again or its load failed (else: until the loader took it).")
    boolean wait;
    @Option(names = "--timeout", defaultValue = "PT10M", description = "How long --wait waits (90s, 10m, 2h or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public Reschedule(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Envelope answer = cli.broker().request(Messages.RESCHEDULE_DEPOSIT, depositId, new RescheduleDeposit(depositId),
                cli.actor(), depositId, Topic.LOADER_EVENTS, Broker.ANSWER_TIMEOUT, "loader-service");
        if (Messages.DEPOSIT_RESCHEDULED.is(answer)) {
            if (wait) {
                cli.terminal().progress("deposit " + depositId + ": rescheduled, loading again...");
                DepositStatus status = new DepositFollow(cli, timeout).follow(depositId, answer.time());
                Deposits.show(cli, status, json);
                return status.succeeded() ? Exit.OK : Exit.JOB_FAILED;
            }
            DepositRescheduled rescheduled = Messages.DEPOSIT_RESCHEDULED.read(answer);
            if (json) {
                cli.terminal().json(rescheduled);
            } else {
                cli.terminal().line("deposit " + depositId + ": " + (rescheduled.note() != null ? rescheduled.note()
                        : "rescheduled (was " + rescheduled.previousStatus() + "), loading again"));
            }
            return Exit.OK;
        }
        return Deposits.refused(cli, depositId, Messages.LOADER_COMMAND_REJECTED.read(answer).reason(), json);
    }
}
