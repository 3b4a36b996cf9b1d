package org.wharf.common.message.schedule;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/** PauseSchedule, ResumeSchedule, DeleteSchedule, RunSchedule (fire now), and ScheduleDeleted: a schedule by name. */
public record ScheduleRef(String name) implements Keyed {

    @Override
    public String aggregateKey() {
        return name;
    }


    public ScheduleRef {
        Required.text(name, "name");
    }
}
