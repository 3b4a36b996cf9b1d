package org.wharf.common.envelope;

/**
 * A record that can never be handled however often it is retried: not a CloudEvent, not JSON, or not
 * the schema its type promises. It goes to the dead-letter topic with this message as the reason.
 */
public class UnreadableRecordException extends RuntimeException {

    public UnreadableRecordException(String reason) {
        super(reason);
    }
}
