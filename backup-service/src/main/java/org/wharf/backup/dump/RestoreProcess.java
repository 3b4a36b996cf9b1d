package org.wharf.backup.dump;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.wharf.backup.stream.SourceFailedException;
import org.wharf.backup.target.BackupTargets.Target;

/**
 * Restores a database backup, decompressed, into a database of the target's server: {@code pg_restore}
 * for a custom-format dump, {@code psql} for a plain one, fed as the bytes arrive.
 */
public final class RestoreProcess {

    private RestoreProcess() {
    }

    /**
     * @param custom whether the bytes are a custom-format dump (else plain SQL)
     * @throws SourceFailedException when the tool fails (its last words, the password removed)
     * @throws IOException when the stream fails
     */
    public static void restore(Target target, String database, boolean custom, InputStream backup) throws IOException {
        List<String> command = custom
                ? List.of(target.getPgRestore(), "--host", target.getHost(), "--port", Integer.toString(target.getPort()),
                        "--username", target.restoreUser(), "--dbname", database, "--no-owner", "--no-password", "--exit-on-error")
                : List.of(target.getPsql(), "--host", target.getHost(), "--port", Integer.toString(target.getPort()),
                        "--username", target.restoreUser(), "--dbname", database, "--no-password", "-X", "--quiet",
                        "-v", "ON_ERROR_STOP=1", "--output", "/dev/null");
        String secret = target.restoreSecret();
        Process process = PgClient.start(command, secret);
        StderrTail stderr = new StderrTail(process.getErrorStream(), "restore-stderr");
        stderr.start();
        String tool = custom ? "pg_restore" : "psql";
        try {
            // The backup stream is the caller's: read, not closed (the caller still hashes what is left).
            try (OutputStream in = process.getOutputStream()) {
                backup.transferTo(in);
            } catch (IOException e) {
                // The tool closed its input early (it failed): its exit status says why.
                if (process.isAlive() && !process.waitFor(30, TimeUnit.SECONDS)) {
                    throw e;
                }
            }
            int exit = process.waitFor();
            stderr.join(5000);
            if (exit != 0) {
                String said = stderr.text(secret);
                throw new SourceFailedException(tool + " exited with status " + exit + (said.isEmpty() ? "" : ": " + said));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring");
        } finally {
            process.destroyForcibly();
        }
    }
}
