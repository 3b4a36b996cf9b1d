package org.wharf.cli.schedule;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.wharf.cli.support.Broker;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.topic.Topic;

/** Talking to the scheduler-service: a command keyed by the schedule's name, and its answer. */
final class Scheduler {

    static final String SERVICE = "scheduler-service";

    private Scheduler() {
    }

    /** Sends the command and waits for the event it caused; no answer in time is a connection error (exit 2). */
    static <T> Envelope request(Cli cli, MessageType<T> type, String name, T payload, Duration timeout) {
        return cli.broker().request(type, name, payload, cli.actor(), null, Topic.SCHEDULER_EVENTS, timeout, SERVICE);
    }

    /** Every schedule now, from the scheduler's events topic read from its start to its end. */
    static ScheduleBook schedules(Cli cli) {
        ScheduleBook book = new ScheduleBook();
        cli.broker().read(Topic.SCHEDULER_EVENTS.topicName(), null, false, null, record -> {
            Envelope envelope = Broker.envelopeOrNull(record);
            if (envelope != null) {
                book.apply(envelope);
            }
            return true;
        });
        return book;
    }

    /** One schedule's book: its records share the partition of its name, so only that partition is read. */
    static ScheduleBook schedule(Cli cli, String name) {
        return ScheduleBook.of(cli.broker().recordsOfKey(List.of(Topic.SCHEDULER_EVENTS), name).stream()
                .map(Broker::envelopeOrNull).filter(Objects::nonNull).toList());
    }

    /** An answer that is not the success awaited: its reason on stderr (with --json, also as the document), exit 1. */
    static int refused(Cli cli, String name, Envelope answer, boolean json) {
        String reason = Messages.SCHEDULER_COMMAND_REJECTED.is(answer)
                ? Messages.SCHEDULER_COMMAND_REJECTED.read(answer).reason()
                : "unexpected answer " + answer.type() + " from the " + SERVICE;
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("name", name);
            document.put("rejected", reason);
            cli.terminal().json(document);
        }
        cli.terminal().progress("wharf: " + reason);
        return Exit.JOB_FAILED;
    }
}
