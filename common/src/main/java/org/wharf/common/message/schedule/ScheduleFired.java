package org.wharf.common.message.schedule;

import java.time.Instant;

import org.wharf.common.message.Required;

/**
 * A schedule fired: the command (its {@code ce_id}, topic, type, key) went out through the outbox with
 * {@code ce_actor=scheduler}, its own correlation id and {@code ce_time} = the due time.
 *
 * @param manual fired by RunSchedule, not by its expression
 */
public record ScheduleFired(String name, Instant dueAt, Instant firedAt, String commandId, String commandTopic,
                            String commandType, String commandKey, String correlationId, boolean manual) {

    public ScheduleFired {
        Required.text(name, "name");
        Required.field(dueAt, "dueAt");
        Required.text(commandId, "commandId");
    }
}
