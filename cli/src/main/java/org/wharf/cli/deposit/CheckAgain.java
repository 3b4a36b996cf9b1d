package org.wharf.cli.deposit;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.CheckDeposit;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf deposit check ID}: CheckDeposit, the checker judging a rejected deposit again. */
@Command(name = "check", description = "Have the checker judge a rejected deposit again, as it was received "
        + "(e.g. once its client's provider URL or collections are fixed with 'wharf client create'); verified, it is loaded.")
public class CheckAgain implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "ID", description = "The deposit id.")
    String depositId;
    @Option(names = "--wait", description = "Follow the deposit until it is done, rejected or failed (else: until its new verdict).")
    boolean wait;
    @Option(names = "--timeout", defaultValue = "PT10M", description = "How long --wait waits (90s, 10m, 2h or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration timeout;
    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    public CheckAgain(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        // The checker's answer is its verdict, which may take as long as reading the archive does.
        Envelope answer = cli.broker().request(Messages.CHECK_DEPOSIT, depositId, new CheckDeposit(depositId),
                cli.actor(), depositId, Topic.CHECKER_EVENTS, timeout.compareTo(Broker.ANSWER_TIMEOUT) > 0 ? timeout : Broker.ANSWER_TIMEOUT,
                "checker-service");
        if (Messages.CHECKER_COMMAND_REJECTED.is(answer)) {
            return Deposits.refused(cli, depositId, Messages.CHECKER_COMMAND_REJECTED.read(answer).reason(), json);
        }
        DepositStatus status = wait && Messages.DEPOSIT_VERIFIED.is(answer)
                // from the new verdict on: the earlier rejection is not this check's end
                ? new DepositFollow(cli, timeout).follow(depositId, answer.time())
                : Deposits.current(cli, depositId);
        Deposits.show(cli, status, json);
        return status.endedBadly() ? Exit.JOB_FAILED : Exit.OK;
    }
}
