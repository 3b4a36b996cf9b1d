package org.wharf.checker.archive;

import java.io.IOException;

/** Wraps a failure of the scratch directory so that it is told apart from a corrupt archive, and rethrown. */
final class ScratchFailure extends IOException {
    private static final long serialVersionUID = 1L;

    ScratchFailure(IOException cause) {
        super(cause.getMessage(), cause);
    }

    IOException original() {
        return (IOException) getCause();
    }
}
