package org.wharf.deploy.request;

/** What a deploy message carries is refused before anything connects; the message is the one-line reason. */
public class InvalidRequestException extends IllegalArgumentException {

    public InvalidRequestException(String reason) {
        super(reason);
    }
}
