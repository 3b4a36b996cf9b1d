package org.wharf.scheduler.schedule;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * Wakes this instance's firing loop when a schedule changed here (created, resumed, due sooner), so
 * that it need not poll the table to notice. Other replicas notice at their next look.
 */
@Component
public class ScheduleChanges {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a change is signalled or the time is up. */
    public void await(long millis) throws InterruptedException {
        lock.lock();
        try {
            if (!pending && millis > 0) {
                changed.await(millis, TimeUnit.MILLISECONDS);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
