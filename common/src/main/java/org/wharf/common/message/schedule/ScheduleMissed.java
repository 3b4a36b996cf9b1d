package org.wharf.common.message.schedule;

import java.time.Instant;

import org.wharf.common.message.Required;

/** A due time that did not fire, and why (skipped after downtime, past its starting deadline, previous run still running). */
public record ScheduleMissed(String name, Instant dueAt, String reason) {

    public ScheduleMissed {
        Required.text(name, "name");
        Required.field(dueAt, "dueAt");
        Required.text(reason, "reason");
    }
}
