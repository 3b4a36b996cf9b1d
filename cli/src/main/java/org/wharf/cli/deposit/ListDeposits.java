package org.wharf.cli.deposit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.DurationOption;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.topic.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wharf deposit list}: the deposits received in a window, newest first, each folded from its
 * records as {@code deposit status} folds one (the deposit topics read from {@code --since} to their end).
 */
@Command(name = "list", description = "List the deposits received lately, newest first: status, client, collection, identifier or reason.")
public class ListDeposits implements Callable<Integer> {

    /** What {@code --status} takes: every status but unknown (a listed deposit was received). */
    static final List<DepositState> STATUSES = List.of(DepositState.DEPOSITED, DepositState.VERIFIED, DepositState.REJECTED,
            DepositState.LOADING, DepositState.DONE, DepositState.FAILED);

    private static final String ROW = "%-36s  %-9s  %-12s  %-16s  %-27s  %s";

    /** One deposit of the list. */
    public record Summary(String depositId, DepositState status, String client, String collection, Instant receivedAt, String directory,
                          String reason) {
    }

    private final Cli cli;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only deposits in this status: deposited, verified, rejected, loading, done or failed.")
    String status;
    @Option(names = "--client", paramLabel = "CLIENT", description = "Only this client's deposits.")
    String client;
    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "7d", description = "Deposits received in the last DURATION (90s, 10m, 2h, 7d or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration since;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N deposits, the newest (default ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--json", description = "Print one JSON document (an array).")
    boolean json;

    public ListDeposits(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DepositState wanted = status == null ? null : STATUSES.stream().filter(s -> s.word().equals(status)).findFirst()
                .orElseThrow(() -> new UsageException("--status " + status + ": not a status (one of "
                        + STATUSES.stream().map(DepositState::word).collect(Collectors.joining(", ")) + ")"));
        if (limit < 1) {
            throw new UsageException("--limit " + limit + ": at least 1");
        }
        if (since.isNegative() || since.isZero()) {
            throw new UsageException("--since " + since + ": a duration greater than zero");
        }
        Instant from = Instant.now().minus(since);
        Map<String, List<Envelope>> byDeposit = new LinkedHashMap<>();
        Map<String, DepositReceived> received = new HashMap<>();
        cli.broker().read(Deposits.DEPOSIT_TOPICS.stream().map(Topic::topicName).toList(), from, false, null, record -> {
            Envelope envelope = record.key() == null ? null : Broker.envelopeOrNull(record);
            if (envelope != null) {
                byDeposit.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(envelope);
                if (Messages.DEPOSIT_RECEIVED.is(envelope)) {
                    received.put(record.key(), Messages.DEPOSIT_RECEIVED.read(envelope));
                }
            }
            return true;
        });
        List<Summary> deposits = new ArrayList<>();
        // a deposit received before the window, touched in it (a reschedule), is not of the window
        received.forEach((id, deposit) -> {
            DepositStatus folded = DepositStatus.fold(id, byDeposit.get(id));
            String problems = String.join("; ", folded.problems().lines());
            deposits.add(new Summary(id, folded.status(), deposit.client(), deposit.collection(), deposit.receivedAt(),
                    folded.directory(), folded.reason() != null ? folded.reason() : problems.isEmpty() ? null : problems));
        });
        List<Summary> shown = deposits.stream()
                .filter(d -> wanted == null || d.status() == wanted)
                .filter(d -> client == null || d.client().equals(client))
                .sorted(Comparator.comparing(Summary::receivedAt).reversed())
                .limit(limit).toList();
        if (json) {
            cli.terminal().json(shown);
            return Exit.OK;
        }
        if (shown.isEmpty()) {
            cli.terminal().line("no deposit received in the last " + DurationOption.text(since.getSeconds())
                    + (status != null ? " is " + status : "") + (client != null ? " from client " + client : ""));
            return Exit.OK;
        }
        cli.terminal().line(String.format(ROW, "DEPOSIT", "STATUS", "CLIENT", "COLLECTION", "RECEIVED",
                "DIRECTORY OR REASON"));
        for (Summary d : shown) {
            String what = d.directory() != null ? d.directory() : d.reason() == null ? "" : d.reason();
            cli.terminal().line(String.format(ROW, d.depositId(), d.status().word(), d.client(), d.collection(),
                    d.receivedAt(), what));
        }
        return Exit.OK;
    }
}
