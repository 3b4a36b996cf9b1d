package org.wharf.common.schedule;

/** A schedule expression or time zone that cannot be used; the message says why, for the person who wrote it. */
public class InvalidScheduleException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidScheduleException(String message) {
        super(message);
    }
}
