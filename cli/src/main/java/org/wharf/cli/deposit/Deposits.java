package org.wharf.cli.deposit;

import java.util.List;
import java.util.Map;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.topic.Topic;

/** What the deposit commands share: the deposit topics, a deposit's status now, a refusal, a status shown. */
final class Deposits {

    static final List<Topic> DEPOSIT_TOPICS = List.of(Topic.DEPOSIT_RECEIVED, Topic.CHECKER_EVENTS, Topic.LOADER_EVENTS);

    private Deposits() {
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
            cli.terminal().json(Map.of("depositId", depositId, "refused", reason));
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
