package org.wharf.cli.support;

/** A usage or connection problem: exit status 2, one line on stderr. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
