package org.wharf.cli.backup;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.topic.Topic;

/** Talking to the backup-service: a command keyed by the target's name, and its answer. */
public final class Backups {

    /** How long --wait waits by default: longer than a backup's, restore's or verification's deadline (2h). */
    public static final String WAIT_DEFAULT = "PT3H";
    static final String SERVICE = "backup-service";

    private Backups() {
    }

    /** Sends a command about {@code target} to the backup-service; its answer (an event, or a refusal). */
    static <T> Envelope ask(Cli cli, MessageType<T> type, String target, T command, Duration timeout) {
        return cli.broker().request(type, target, command, cli.actor(), null, Topic.BACKUP_EVENTS, timeout, SERVICE);
    }

    /** Without --wait: the command is sent, and the operator told how to follow it ({@code fields}: more for --json). */
    static <T> int askedFor(Cli cli, MessageType<T> type, String target, T command, String what, boolean json,
                            Map<String, Object> fields) {
        Envelope sent = cli.broker().publish(type, target, command, cli.actor(), null);
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("target", target);
            document.putAll(fields);
            document.put("correlationId", sent.correlationId());
            cli.terminal().json(document);
        } else {
            cli.terminal().line(what + " asked for; follow it: wharf audit tail --correlation " + sent.correlationId());
        }
        return Exit.OK;
    }

    /** The reason a failure (BackupFailed, RestoreFailed) or a refusal gives. */
    static String reasonOf(Envelope answer) {
        if (Messages.BACKUP_FAILED.is(answer)) {
            return Messages.BACKUP_FAILED.read(answer).reason();
        }
        if (Messages.RESTORE_FAILED.is(answer)) {
            return Messages.RESTORE_FAILED.read(answer).reason();
        }
        return Messages.BACKUP_COMMAND_REJECTED.read(answer).reason();
    }
}
