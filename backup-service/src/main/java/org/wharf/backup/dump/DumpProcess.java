package org.wharf.backup.dump;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.wharf.backup.target.BackupTargets.Target;

/**
 * {@code pg_dump} of a target, as a stream: its output is read as it is written (never a temp file),
 * compressed on the way for the plain format, and the stream fails at its end if pg_dump failed, with
 * the tail of what pg_dump said (the password never in it), so that nothing half-written is kept.
 */
public final class DumpProcess implements AutoCloseable {

    private final Process process;
    private final String secret;
    private final StderrTail stderr;
    private final InputStream output;

    private DumpProcess(Process process, String secret, boolean gzip) throws IOException {
        this.process = process;
        this.secret = secret;
        this.stderr = new StderrTail(process.getErrorStream(), "pg_dump-stderr");
        this.stderr.start();
        InputStream raw = new CheckedAtEnd(process.getInputStream());
        this.output = gzip ? gzipped(raw) : raw;
    }

    public static DumpProcess start(String defaultPgDump, Target target) throws IOException {
        String pgDump = target.getPgDump() != null ? target.getPgDump() : defaultPgDump;
        List<String> command = new ArrayList<>(List.of(pgDump, "--host", target.getHost(), "--port",
                Integer.toString(target.getPort()), "--username", target.getUser(), "--dbname", target.getDatabase(),
                "--format", target.getFormat(), "--no-password"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        String secret = target.secret();
        if (secret != null) {
            env.put("PGPASSWORD", secret); // the environment of pg_dump only: never its command line
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        return new DumpProcess(builder.start(), secret, target.getFormat().equals("plain"));
    }

    /** {@code pg_dump --version}: the tool the catalog records. */
    public static String version(String pgDump) {
        try {
            Process p = new ProcessBuilder(pgDump, "--version").redirectErrorStream(true).start();
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

    /** The dump's bytes, ready to store; reading past the end fails if pg_dump did. */
    public InputStream output() {
        return output;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private String failure(int exit) {
        String said = stderr.text(secret);
        return "pg_dump exited with status " + exit + (said.isEmpty() ? "" : ": " + said);
    }

    /**
     * Compresses on a thread of its own; a failure there (pg_dump's, found at the end of its output) is
     * thrown to the reader at the end of the compressed stream, never taken for a normal end.
     */
    private static InputStream gzipped(InputStream raw) throws IOException {
        java.io.PipedInputStream compressed = new java.io.PipedInputStream(1 << 16);
        java.io.PipedOutputStream sink = new java.io.PipedOutputStream(compressed);
        java.util.concurrent.atomic.AtomicReference<IOException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread compressor = new Thread(() -> {
            try (GZIPOutputStream gzip = new GZIPOutputStream(sink, 1 << 16)) {
                raw.transferTo(gzip);
            } catch (IOException e) {
                failure.set(e);
                try {
                    sink.close();
                } catch (IOException ignored) {
                    // closing is all that is left
                }
            }
        }, "backup-gzip");
        compressor.setDaemon(true);
        compressor.start();
        return new FilterInputStream(compressed) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                return b < 0 ? endOf(failure) : b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                return n < 0 ? endOf(failure) : n;
            }

            private int endOf(java.util.concurrent.atomic.AtomicReference<IOException> failed) throws IOException {
                try {
                    compressor.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while compressing the dump");
                }
                if (failed.get() != null) {
                    throw failed.get();
                }
                return -1;
            }
        };
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
                    throw new DumpFailedException(failure(exit));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for pg_dump");
            }
        }
    }

    /** pg_dump failed: the backup fails with this reason; retrying would not help. */
    public static final class DumpFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        public DumpFailedException(String message) {
            super(message);
        }
    }
}
