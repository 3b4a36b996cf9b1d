package org.wharf.common.archive;

import java.io.IOException;

/**
 * A failure on the reading side (the scratch disk, the store contents are written to), carried
 * through the decoders and the {@link ArchiveReader}'s error handling untouched, so that it is never
 * blamed on the archive: the reader rethrows the original, and the caller retries.
 */
public final class CallerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private CallerFailure(Exception original) {
        super(original.getMessage(), original, false, false);
    }

    public static CallerFailure of(IOException original) {
        return new CallerFailure(original);
    }

    public static CallerFailure of(RuntimeException original) {
        return original instanceof CallerFailure failure ? failure : new CallerFailure(original);
    }

    /** Throws the original: an IOException as itself, a RuntimeException as itself. */
    RuntimeException rethrow() throws IOException {
        if (getCause() instanceof IOException io) {
            throw io;
        }
        throw (RuntimeException) getCause(); // the factories take an IOException or a RuntimeException only
    }
}
