package org.wharf.common.util;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes a worker that sleeps between rounds (the outbox relay, the scheduler's firing loop) when there
 * is new work, so that it need not poll often. A signal given while the worker is busy is kept for its
 * next wait, so none is lost.
 */
public final class Wakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Signals once the caller's transaction has committed: the work it wrote is visible by then. */
    public void signalAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                signal();
            }
        });
    }

    /** Waits until a signal (or one already given since the last wait) or until {@code millis} pass. */
    public void await(long millis) throws InterruptedException {
        lock.lock();
        try {
            if (!pending && millis > 0) {
                signalled.await(millis, TimeUnit.MILLISECONDS);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
