package org.wharf.cli.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployTarget;
import org.wharf.common.topic.Topic;

/** Talking to the deploy-service: commands keyed {@code application/environment}, its answers and its events. */
final class DeployService {

    static final String SERVICE = "deploy-service";

    private DeployService() {
    }

    /** The record key of APP ENV, after the checks that need no service: neither blank, nor holding the key's '/'. */
    static String key(String application, String environment) {
        name(application, "APP");
        name(environment, "ENV");
        return DeployTarget.key(application, environment);
    }

    private static void name(String value, String label) {
        if (value == null || value.isBlank()) {
            throw new UsageException(label + " must not be blank");
        }
        if (value.contains("/")) {
            throw new UsageException(label + " " + value + " must not contain '/' (the record key is APP/ENV)");
        }
    }

    /** Sends the command and waits for the record it caused; no answer in time is a connection error (exit 2). */
    static <T> Envelope request(Cli cli, MessageType<T> type, String key, T command) {
        return cli.broker().request(type, key, command, cli.actor(), null, Topic.DEPLOY_EVENTS, Broker.ANSWER_TIMEOUT, SERVICE);
    }

    /**
     * Follows the deploy events of {@code first}'s correlation (from just before it, so none is missed)
     * until {@code sink} returns false; the deadline passing is {@link Broker.WaitTimeoutException}.
     */
    static void follow(Cli cli, Envelope first, Duration timeout, Predicate<Envelope> sink) {
        cli.broker().follow(List.of(Topic.DEPLOY_EVENTS.topicName()), first.time().minusSeconds(5), Instant.now().plus(timeout),
                record -> {
                    Envelope e = Broker.envelopeOrNull(record);
                    return e == null || !first.correlationId().equals(e.correlationId()) || sink.test(e);
                });
    }

    /** Every deploy event of APP/ENV, in topic order: a key's records share one partition. */
    static List<Envelope> events(Cli cli, String key) {
        return cli.broker().recordsOfKey(List.of(Topic.DEPLOY_EVENTS), key).stream()
                .map(Broker::envelopeOrNull).filter(Objects::nonNull).toList();
    }

    static boolean is(Envelope e, MessageType<?> type) {
        return e.type().equals(type.type());
    }

    /** A refusal: its reason on stderr (with --json, also as the document), exit 1 as every refused job. */
    static int refused(Cli cli, String what, String application, String environment, Envelope answer, boolean json) {
        String reason = is(answer, Messages.DEPLOY_COMMAND_REJECTED)
                ? Messages.DEPLOY_COMMAND_REJECTED.read(answer).reason()
                : "unexpected answer " + answer.type() + " from the " + SERVICE;
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("application", application);
            document.put("environment", environment);
            document.put("rejected", reason);
            cli.terminal().json(document);
        }
        cli.terminal().progress("wharf: " + what + " refused: " + reason);
        return Exit.JOB_FAILED;
    }
}
