package org.wharf.cli.deposit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.topic.Topic;

/**
 * A deposit followed, for {@code --wait}: its records (keyed by its id) from {@code since} on, folded,
 * each change of status told, until it is done, rejected or failed, or {@code timeout} has passed.
 */
record DepositFollow(Cli cli, Duration timeout, Consumer<String> progress) {

    DepositFollow(Cli cli, Duration timeout) {
        this(cli, timeout, cli.terminal()::progress);
    }

    /** Its end; the deadline passing is a usage error naming where the deposit got to. */
    DepositStatus follow(String depositId, Instant since) {
        DepositStatus[] latest = new DepositStatus[1];
        return until(depositId, since, latest).orElseThrow(() -> new UsageException("gave up waiting after " + timeout
                + "; deposit " + depositId + " is " + latest[0].status().word() + " (see 'wharf deposit status " + depositId + "')"));
    }

    /** Its end, or empty when the deadline passed first. */
    Optional<DepositStatus> until(String depositId, Instant since) {
        return until(depositId, since, new DepositStatus[1]);
    }

    private Optional<DepositStatus> until(String depositId, Instant since, DepositStatus[] latest) {
        List<Envelope> seen = new ArrayList<>();
        latest[0] = DepositStatus.fold(depositId, seen);
        try {
            cli.broker().follow(Deposits.DEPOSIT_TOPICS.stream().map(Topic::topicName).toList(), since, Instant.now().plus(timeout),
                    (ConsumerRecord<String, byte[]> record) -> {
                        Envelope envelope = depositId.equals(record.key()) ? Broker.envelopeOrNull(record) : null;
                        if (envelope == null) {
                            return true;
                        }
                        seen.add(envelope);
                        DepositStatus status = DepositStatus.fold(depositId, seen);
                        if (status.status() != latest[0].status() && !status.finished()) {
                            progress.accept("deposit " + depositId + ": " + status.status().word());
                        }
                        latest[0] = status;
                        return !status.finished();
                    });
        } catch (Broker.WaitTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(latest[0]);
    }
}
