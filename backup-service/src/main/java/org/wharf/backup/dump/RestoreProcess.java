package org.wharf.backup.dump;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.wharf.backup.target.BackupTargets.Target;

/**
 * Restores a backup read from a stream into a database of the target's server: {@code pg_restore} for
 * the custom format, {@code psql} (after gunzip) for the plain one, fed as the bytes arrive.
 */
public final class RestoreProcess {

    private RestoreProcess() {
    }

    /**
     * @throws DumpProcess.DumpFailedException when the tool fails (its last words, the password removed)
     * @throws IOException when the stream fails
     */
    public static void restore(Target target, String database, InputStream backup) throws IOException {
        boolean custom = target.getFormat().equals("custom");
        List<String> command = custom
                ? List.of(target.getPgRestore(), "--host", target.getHost(), "--port", Integer.toString(target.getPort()),
                        "--username", target.restoreUser(), "--dbname", database, "--no-owner", "--no-password", "--exit-on-error")
                : List.of(target.getPsql(), "--host", target.getHost(), "--port", Integer.toString(target.getPort()),
                        "--username", target.restoreUser(), "--dbname", database, "--no-password", "--no-psqlrc", "--quiet",
                        "-v", "ON_ERROR_STOP=1", "--output", "/dev/null");
        ProcessBuilder builder = new ProcessBuilder(command);
        String secret = target.restoreSecret();
        if (secret != null) {
            builder.environment().put("PGPASSWORD", secret);
        }
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        Process process = builder.start();
        StderrTail stderr = new StderrTail(process.getErrorStream(), "restore-stderr");
        stderr.start();
        String tool = custom ? "pg_restore" : "psql";
        try {
            // The backup stream is the caller's: read, not closed (the caller still hashes what is left).
            try (OutputStream in = process.getOutputStream()) {
                InputStream source = custom ? backup : new GZIPInputStream(backup, 1 << 16);
                source.transferTo(in);
            } catch (IOException e) {
                // The tool closed its input early (it failed): its exit status says why.
                if (process.isAlive() && !process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw e;
                }
            }
            int exit = process.waitFor();
            stderr.join(5000);
            if (exit != 0) {
                String said = stderr.text(secret);
                throw new DumpProcess.DumpFailedException(tool + " exited with status " + exit + (said.isEmpty() ? "" : ": " + said));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring");
        } finally {
            process.destroyForcibly();
        }
    }
}
