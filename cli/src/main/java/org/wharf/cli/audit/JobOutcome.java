package org.wharf.cli.audit;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.UnreadableRecordException;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;

/**
 * How a job ended, told by the event that ended it. Which events end a job is the catalog's
 * ({@link Messages#commandsEndedBy}); this only sorts those ends into three: a refusal, a failure,
 * or the job done.
 */
public enum JobOutcome {
    /** The command was refused (a service's command-rejected) or the deposit was (DepositRejected). */
    REJECTED,
    /** The job ran and did not do what it was asked. */
    FAILED,
    /** Every other end of a job. */
    COMPLETED;

    /** Each commands topic's command-rejected, read from the catalog so a new service's is counted too. */
    private static final Set<String> REJECTIONS = Stream.concat(
                    Messages.commands().stream().map(c -> Messages.commandRejectedOn(c.topic())),
                    Stream.of(Messages.DEPOSIT_REJECTED))
            .filter(t -> t != null).map(MessageType::type).collect(Collectors.toUnmodifiableSet());

    /** Ends that are always failures; RolledBack and BackupVerified depend on their payload. */
    private static final Set<String> FAILURES = Stream.of(Messages.DEPOSIT_LOAD_FAILED, Messages.BACKUP_FAILED,
            Messages.RESTORE_FAILED, Messages.DEPLOY_FAILED).map(MessageType::type).collect(Collectors.toUnmodifiableSet());

    /** The outcome {@code event} tells, or empty when it ends no job. */
    public static Optional<JobOutcome> of(Envelope event) {
        String type = event.type();
        if (Messages.commandsEndedBy(type).isEmpty()) {
            return Optional.empty();
        }
        if (REJECTIONS.contains(type)) {
            return Optional.of(REJECTED);
        }
        if (FAILURES.contains(type)) {
            return Optional.of(FAILED);
        }
        try {
            // A rollback nobody asked for is a deploy that failed after its switch; a verdict with a problem, a bad backup.
            if (Messages.ROLLED_BACK.is(type)) {
                return Optional.of(Messages.ROLLED_BACK.read(event).requested() ? COMPLETED : FAILED);
            }
            if (Messages.BACKUP_VERIFIED.is(type)) {
                return Optional.of(Messages.BACKUP_VERIFIED.read(event).ok() ? COMPLETED : FAILED);
            }
        } catch (UnreadableRecordException unreadable) {
            // What the payload does not tell cannot be counted as done.
            return Optional.of(FAILED);
        }
        return Optional.of(COMPLETED);
    }

    /** The option's value ({@code failed}, {@code rejected}, {@code completed}); anything else is a usage error. */
    public static JobOutcome parse(String option, String value) {
        for (JobOutcome outcome : values()) {
            if (outcome.label().equals(value)) {
                return outcome;
            }
        }
        throw new UsageException(option + " must be failed, rejected or completed, not '" + value + "'");
    }

    /** The lower-case name, as the option takes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
