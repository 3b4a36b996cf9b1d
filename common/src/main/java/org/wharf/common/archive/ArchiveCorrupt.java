package org.wharf.common.archive;

import java.io.IOException;

/** A structural problem of the archive that the libraries do not detect themselves (truncation, oversized headers...). */
public final class ArchiveCorrupt extends IOException {
    private static final long serialVersionUID = 1L;

    public ArchiveCorrupt(String message) {
        super(message);
    }
}
