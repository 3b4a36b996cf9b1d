package org.wharf.backup.dump;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.wharf.backup.stream.BackupStream;
import org.wharf.backup.stream.Compression;
import org.wharf.backup.stream.ProducedStream;
import org.wharf.backup.stream.SourceFailedException;
import org.wharf.backup.target.BackupTargets.Target;
import org.wharf.common.timeout.Durations;

/**
 * {@code pg_dump} of a target, as a stream: its output is read as it is written (never a temp file),
 * compressed on the way unless pg_dump compresses itself (the custom format with gzip), and the stream
 * fails at its end if pg_dump failed, with the tail of what pg_dump said (the password never in it),
 * so that nothing half-written is kept.
 */
public final class DumpProcess implements BackupStream {

    private final Process process;
    private final String secret;
    private final StderrTail stderr;
    private final InputStream output;
    private final Duration lockWait;

    private DumpProcess(Process process, String secret, Compression compression, Duration lockWait) throws IOException {
        this.process = process;
        this.secret = secret;
        this.lockWait = lockWait;
        this.stderr = new StderrTail(process.getErrorStream(), "pg_dump-stderr");
        this.stderr.start();
        InputStream raw = new CheckedAtEnd(process.getInputStream());
        this.output = compression == Compression.NONE ? raw : ProducedStream.of("backup-compress", out -> {
            try (OutputStream compressed = compression.compress(out)) {
                raw.transferTo(compressed);
            }
        });
    }

    /**
     * Starts {@code pgDump} on {@code target}; a table lock it cannot get within {@code lockWait}
     * ({@code --lock-wait-timeout}: a table held ACCESS EXCLUSIVE by a migration, say) fails the dump.
     */
    public static DumpProcess start(String pgDump, Target target, Duration lockWait) throws IOException {
        List<String> command = new ArrayList<>(List.of(pgDump, "--host", target.getHost(), "--port",
                Integer.toString(target.getPort()), "--username", target.getUser(), "--dbname", target.getDatabase(),
                "--format", target.getFormat(), "--no-password", "--lock-wait-timeout=" + lockWait.toMillis()));
        if (target.getFormat().equals("custom") && !target.pgDumpCompresses()) {
            command.add("--compress=0"); // Wharf compresses (zstd), or nothing does
        }
        String secret = target.secret();
        return new DumpProcess(PgClient.start(command, secret), secret,
                target.pgDumpCompresses() ? Compression.NONE : target.compression(), lockWait);
    }

    /** {@code pg_dump --version}: the tool the catalog records. */
    public static String version(String pgDump) {
        try {
            Process p = PgClient.start(List.of(pgDump, "--version"), null);
            p.getErrorStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "pg_dump (version unknown)";
        } catch (IOException e) {
            throw new IllegalStateException(pgDump + " cannot be run: " + e.getMessage()
                    + " (install the PostgreSQL client tools, or set wharf.backup.pg-dump)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "pg_dump (version unknown)";
        }
    }

    @Override
    public InputStream output() {
        return output;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            output.close(); // stops the compressing thread, if any
        } catch (IOException ignored) {
            // pg_dump is gone: nothing more to read
        }
    }

    private String failure(int exit) {
        String said = stderr.text(secret);
        String failed = "pg_dump exited with status " + exit + (said.isEmpty() ? "" : ": " + said);
        // pg_dump bounds its LOCK TABLE statements (only those) with a statement timeout (lock_timeout in newer versions).
        boolean lockWaitEnded = said.contains("Query was: LOCK TABLE")
                && (said.contains("due to statement timeout") || said.contains("due to lock timeout"));
        return lockWaitEnded
                ? "pg_dump waited longer than its lock wait (" + Durations.format(lockWait)
                        + ", lock-wait) for a table lock that another session holds: " + failed
                : failed;
    }

    /** pg_dump's standard output; at its end, waits for pg_dump and fails if it did. */
    private final class CheckedAtEnd extends FilterInputStream {
        CheckedAtEnd(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                checkExit();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                checkExit();
            }
            return n;
        }

        private void checkExit() throws IOException {
            try {
                int exit = process.waitFor();
                stderr.join(5000);
                if (exit != 0) {
                    throw new SourceFailedException(failure(exit));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for pg_dump");
            }
        }
    }
}
