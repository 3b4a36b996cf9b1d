package org.wharf.cli.deposit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositRescheduled;
import org.wharf.common.message.deposit.RescheduleDeposit;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf deposit submit|status}. */
@Command(name = "deposit", description = "Submit deposits and follow their status.",
        subcommands = {DepositCommand.Submit.class, DepositCommand.Status.class, ListDeposits.class, CheckAgain.class,
                DepositCommand.Reschedule.class})
public class DepositCommand {

    static final List<Topic> DEPOSIT_TOPICS = List.of(Topic.DEPOSIT_RECEIVED, Topic.CHECKER_EVENTS, Topic.LOADER_EVENTS);

    @Command(name = "submit", description = "Upload an archive and its metadata, and ask for them to be checked and loaded.")
    public static class Submit implements Callable<Integer> {

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

        public Submit(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            DepositSubmission submission = DepositSubmission.submit(cli, client, collection, archive, metadata, origin);
            if (!wait) {
                show(cli, submission.asSent(), json);
                return Exit.OK;
            }
            DepositStatus status = new DepositFollow(cli, timeout).follow(submission.depositId(), submission.submitted().minusSeconds(5));
            show(cli, status, json);
            return status.succeeded() ? Exit.OK : Exit.JOB_FAILED;
        }
    }

    @Command(name = "status", description = "Show a deposit's status, its history, problems and identifiers.")
    public static class Status implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The deposit id.")
        String depositId;
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        public Status(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            DepositStatus status = current(cli, depositId);
            if (status.history().isEmpty()) {
                throw new UsageException("no deposit " + depositId + " is known");
            }
            show(cli, status, json);
            return status.endedBadly() ? Exit.JOB_FAILED : Exit.OK;
        }
    }

    @Command(name = "reschedule", description = "Load a done or failed deposit again (its identifiers are cleared), "
            + "as Software Heritage's 'deposit reschedule'.")
    public static class Reschedule implements Callable<Integer> {

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
            if (answer.type().equals(Messages.DEPOSIT_RESCHEDULED.type())) {
                if (wait) {
                    cli.terminal().progress("deposit " + depositId + ": rescheduled, loading again...");
                    DepositStatus status = new DepositFollow(cli, timeout).follow(depositId, answer.time());
                    show(cli, status, json);
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
            return refused(cli, depositId, Messages.LOADER_COMMAND_REJECTED.read(answer).reason(), json);
        }
    }

    /** A deposit's status from all its records now on the deposit topics. */
    static DepositStatus current(Cli cli, String depositId) {
        List<Envelope> envelopes = cli.broker().recordsOfKey(DEPOSIT_TOPICS, depositId).stream()
                .map(Broker::envelopeOrNull).filter(e -> e != null).toList();
        return DepositStatus.fold(depositId, envelopes);
    }

    /** A command about a deposit refused by its service: the reason on stderr (and as the document with --json), exit 1. */
    static int refused(Cli cli, String depositId, String reason, boolean json) {
        if (json) {
            cli.terminal().json(java.util.Map.of("depositId", depositId, "refused", reason));
        }
        cli.terminal().progress("wharf: " + reason);
        return Exit.JOB_FAILED;
    }

    static void show(Cli cli, DepositStatus status, boolean json) {
        if (json) {
            cli.terminal().json(status);
        } else {
            status.lines().forEach(cli.terminal()::line);
        }
    }
}
