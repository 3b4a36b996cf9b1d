package org.wharf.backup.dump;

import java.io.IOException;
import java.util.List;

/** Starts a PostgreSQL client tool (pg_dump, pg_restore, psql) the way every backup and restore runs one. */
final class PgClient {

    private PgClient() {
    }

    static Process start(List<String> command, String password) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (password != null) {
            builder.environment().put("PGPASSWORD", password); // the tool's environment only: never its command line
        }
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        return builder.start();
    }
}
