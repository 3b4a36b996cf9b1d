package org.wharf.backup.dump;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Starts a PostgreSQL client tool (pg_dump, pg_restore, psql) the way every backup and restore runs one:
 * with an environment of its own holding only what the tool needs, never the JVM's (which holds the
 * platform's datasource password, the S3 keys and other targets' passwords).
 */
public final class PgClient {

    /** The only variables a tool gets from the JVM's environment (PATH to find its libraries' helpers, the locale). */
    static final List<String> INHERITED = List.of("PATH", "LANG", "LC_ALL");

    private PgClient() {
    }

    public static Process start(List<String> command, String password) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.clear();
        for (String name : INHERITED) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        if (password != null) {
            environment.put("PGPASSWORD", password); // the tool's environment only: never its command line
        }
        environment.put("PGCONNECT_TIMEOUT", "10");
        return builder.start();
    }
}
