package org.wharf.loader.swhid;

/**
 * The uploaded bytes cannot be turned into a directory id: unknown format, corrupt or truncated
 * data, or an entry kind that has no Software Heritage equivalent.
 *
 * <p>Checked, and deliberately not an {@link java.io.IOException}, so that callers can tell "the
 * user sent something we will not accept" (report the message) from "our own I/O failed" (retry or
 * alert). The message is meant to be shown to the depositor as is.
 */
public class UnsupportedArchiveException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnsupportedArchiveException(String message) {
        super(message);
    }

    public UnsupportedArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
