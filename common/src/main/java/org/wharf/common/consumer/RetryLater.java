package org.wharf.common.consumer;

/**
 * Thrown by a handler that cannot finish now for a reason that time will fix (another instance is
 * still busy with something it needs, say): the record is retried with backoff like a dependency's
 * failure, never dead-lettered for it.
 */
public class RetryLater extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RetryLater(String reason) {
        super(reason);
    }
}
