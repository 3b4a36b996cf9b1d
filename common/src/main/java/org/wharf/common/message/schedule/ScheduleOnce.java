package org.wharf.common.message.schedule;

import org.wharf.common.message.Keyed;
import java.time.Instant;

import org.wharf.common.message.Required;

/**
 * Fire one command at one instant (now, if it is past). The fired command keeps the correlation of the
 * ScheduleOnce (a deposit's reschedule stays the deposit's). Without a name, one is made up.
 */
public record ScheduleOnce(String name, Instant at, ScheduledCommand command) implements Keyed {

    @Override
    public String aggregateKey() {
        return name;
    }


    public ScheduleOnce {
        Required.field(at, "at");
        Required.field(command, "command");
    }
}
