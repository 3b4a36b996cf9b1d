package org.wharf.common.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A PostgreSQL 15 server (a child process), listening on 127.0.0.1 only, with a database {@code wharf}. */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "wharf";

    private volatile EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private LocalPostgres(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** @param port 0 for any free port; @param dataDirectory null for a throwaway one */
    public static LocalPostgres start(int port, Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                stopLeftOver(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres = builder.start();
            JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            Integer exists = jdbc.queryForObject("select count(*) from pg_database where datname = ?", Integer.class, DATABASE);
            if (exists == null || exists == 0) {
                jdbc.execute("create database " + DATABASE);
            }
            return new LocalPostgres(postgres, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a kept data directory startable again after its last user was killed (kill -9): the server that
     * user started is still running on it (pg_ctl detaches it), and is stopped here, as pg_ctl stops it; a
     * {@code postmaster.pid} no running server holds is stale and removed, since the pid in it may by now be
     * another process's (PostgreSQL would then refuse to start). Call it only while holding the folder
     * (see {@link StateDirectory}): the server found is then nobody's.
     */
    public static void stopLeftOver(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> server = leftOverServer(pidFile);
        try {
            if (server.isPresent()) {
                stop(server.get(), dataDirectory);
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale " + pidFile + ": " + e.getMessage(), e);
        }
    }

    /** The running postgres whose pid {@code postmaster.pid} gives, if it is one. */
    private static Optional<ProcessHandle> leftOverServer(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            String firstLine = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
            String folder = pidFile.getParent().toString();
            // A postgres, and (where the system tells a process's arguments) one serving this folder, not a
            // process that got the pid since.
            return ProcessHandle.of(Long.parseLong(firstLine))
                    .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false))
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains(folder)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // unreadable or half-written: no server holds it
        }
    }

    private static void stop(ProcessHandle server, Path dataDirectory) throws IOException {
        // pg_ctl's fast stop (SIGINT: sessions ended, a clean checkpoint); pg_ctl sits next to the server's binary.
        Optional<Path> pgCtl = server.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl")).filter(Files::isExecutable);
        try {
            if (pgCtl.isPresent()) {
                Process stop = new ProcessBuilder(pgCtl.get().toString(), "-D", dataDirectory.toString(), "stop", "-m", "fast",
                        "-w", "-t", "30").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                stop.waitFor(40, TimeUnit.SECONDS);
            }
            if (server.isAlive()) {
                server.destroy();
                server.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the PostgreSQL server left running on " + dataDirectory);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the PostgreSQL server left running on " + dataDirectory + " (pid " + server.pid()
                    + ") did not stop; stop it, then start again");
        }
    }

    /**
     * Stops this server (as {@link #close()} does) and starts it again on the same port and data folder, for a
     * fault drill; returns once it accepts connections. Connections open until then fail and must be made anew.
     */
    public synchronized void restart() {
        if (dataDirectory == null) {
            throw new IllegalStateException("a throwaway PostgreSQL is not restarted");
        }
        int port = postgres.getPort();
        close();
        postgres = start(port, dataDirectory).postgres;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The superuser's connection to the {@code wharf} database (provisioning, tests' checks). */
    public DataSource superuser() {
        return postgres.getDatabase("postgres", DATABASE);
    }

    public String jdbcUrl(String schema) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE + "?currentSchema=" + schema;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
