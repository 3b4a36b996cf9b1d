package org.wharf.scheduler.firing;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.scheduler.schedule.Schedules;

/**
 * Follows the jobs that fires started, on the other services' events topics, by correlation id: when
 * one ends (an event the catalog declares an end of the fired command's job, {@link Messages#jobEnds}),
 * a schedule that forbids concurrent runs may fire again. Clearing is idempotent, so a redelivered
 * event changes nothing.
 */
@Component
public class JobFollower {

    private static final Logger log = LoggerFactory.getLogger(JobFollower.class);

    private final Schedules schedules;

    public JobFollower(Schedules schedules) {
        this.schedules = schedules;
    }

    public void seen(Delivery<Envelope> delivery) {
        Envelope event = delivery.payload();
        if (event.correlationId() == null) {
            return;
        }
        Set<String> ended = Messages.commandsEndedBy(event.type());
        if (!ended.isEmpty()) {
            int released = schedules.jobEnded(event.correlationId(), ended);
            if (released > 0) {
                log.info("job {} ended ({}): {} schedule(s) may fire again", event.correlationId(), event.type(), released);
            }
        }
    }
}
