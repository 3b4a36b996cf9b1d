package org.wharf.common.message.deploy;

import org.wharf.common.message.Required;

/** One step of a deployment on each host, and the command it runs there (null for a step Wharf does itself). */
public record PlannedStep(String step, String command) {

    public PlannedStep {
        Required.text(step, "step");
    }
}
