package org.wharf.scheduler.schedule;

import org.springframework.stereotype.Component;
import org.wharf.common.util.Wakeup;

/**
 * Wakes this instance's firing loop when a schedule changed here (created, resumed, due sooner), so
 * that it need not poll the table to notice. Other replicas notice at their next look.
 */
@Component
public class ScheduleChanges {

    private final Wakeup wakeup = new Wakeup();

    /** Wakes the firing loop once the caller's transaction (the change) has committed. */
    public void signalAfterCommit() {
        wakeup.signalAfterCommit();
    }

    /** Waits until a change is signalled or the time is up. */
    public void await(long millis) throws InterruptedException {
        wakeup.await(millis);
    }
}
