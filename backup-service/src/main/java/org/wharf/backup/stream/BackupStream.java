package org.wharf.backup.stream;

import java.io.InputStream;

/** A backup's bytes as they are produced (pg_dump's, or a directory's tar), and what produces them. */
public interface BackupStream extends AutoCloseable {

    /** The bytes to store; reading past the end fails if producing them did. */
    InputStream output();

    /** Stops producing (a pg_dump is killed); nothing is thrown. */
    @Override
    void close();
}
