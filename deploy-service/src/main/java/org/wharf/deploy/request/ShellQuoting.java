package org.wharf.deploy.request;

/**
 * A value as one word of the remote POSIX shell's command line: in single quotes, inside which the shell
 * expands nothing, an embedded quote written {@code '\''} (close, an escaped quote, reopen).
 */
public final class ShellQuoting {

    private ShellQuoting() {
    }

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            // No shell word can hold a NUL: refuse rather than let the command line end early.
            throw new InvalidRequestException("a value for the remote shell contains a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
