package org.wharf.backup.stream;

import java.io.IOException;

/**
 * What a backup reads from, or the tool a restore writes to, failed: the message says how (pg_dump's
 * last words, the password removed; a file that changed while read). Retrying would not help.
 */
public final class SourceFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    public SourceFailedException(String message) {
        super(message);
    }
}
