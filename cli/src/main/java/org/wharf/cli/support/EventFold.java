package org.wharf.cli.support;

import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.UnreadableRecordException;

/**
 * A view the CLI folds from a topic's events (backups, deployments, releases, schedules), one event at a
 * time in their order. An event it cannot read is left out, as a type it does not know: one bad record
 * must not hide all the others.
 */
public interface EventFold {

    /** Applies one event, which may throw {@link UnreadableRecordException} when its payload is not what its type says. */
    void applyReadable(Envelope event);

    /** Applies one event, or leaves it out if it cannot be read. */
    default void apply(Envelope event) {
        try {
            applyReadable(event);
        } catch (UnreadableRecordException unreadable) {
            // left out, as a type this CLI does not know
        }
    }

    /** {@code fold} with each of {@code events} applied, unreadable ones left out. */
    static <F extends EventFold> F of(F fold, Iterable<Envelope> events) {
        events.forEach(fold::apply);
        return fold;
    }
}
