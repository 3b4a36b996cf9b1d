package org.wharf.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.postgresql.Driver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.wharf.common.infra.Folders;
import org.wharf.common.s3.S3Properties;

/**
 * {@code wharf local up --fresh} as an operator starts it, a process of its own on free ports, for the
 * benchmarks that measure the platform as its users see it; stopped (SIGTERM) on close.
 */
final class LocalStack implements AutoCloseable {

    final Path cliJar;
    final Path home;
    final String bootstrap;
    final String depositsBucket;
    final S3Properties s3;
    final int postgresPort;
    private final Process process;

    private LocalStack(Path cliJar, Path home, Properties connection, int postgresPort, Process process) {
        this.cliJar = cliJar;
        this.home = home;
        this.bootstrap = connection.getProperty("bootstrap.servers");
        this.depositsBucket = connection.getProperty("deposits.bucket");
        this.s3 = new S3Properties();
        s3.setEndpoint(URI.create(connection.getProperty("s3.endpoint")));
        s3.setAccessKey(connection.getProperty("s3.access-key"));
        s3.setSecretKey(connection.getProperty("s3.secret-key"));
        this.postgresPort = postgresPort;
        this.process = process;
    }

    /** Starts the stack with its state in {@code work/local} and its WHARF_HOME in {@code work/home}; waits until ready. */
    static LocalStack start(Path work) throws Exception {
        return start(work, List.of());
    }

    /** As above, {@code upArguments} added to {@code wharf local up}'s (--processes, --replicas, --config...). */
    static LocalStack start(Path work, List<String> upArguments) throws Exception {
        Path cliJar = Path.of(System.getProperty("wharf.cli.jar", "cli/target/wharf.jar")).toAbsolutePath();
        Path home = work.resolve("home");
        Folders.deleteRecursively(home);
        Files.createDirectories(home);
        int postgresPort = freePort();
        Path log = work.resolve("local-up.log");
        List<String> command = new ArrayList<>(List.of(java()));
        // e.g. -Dwharf.bench.stack-options=-XX:StartFlightRecording=filename=stack.jfr to see where its time goes
        String options = System.getProperty("wharf.bench.stack-options", "");
        if (!options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", cliJar.toString(), "local", "up", "--data-dir", work.resolve("local").toString(),
                "--fresh", "--kafka-port", String.valueOf(freePort()), "--postgres-port", String.valueOf(postgresPort),
                "--s3-port", String.valueOf(freePort()), "--management-port-base", "0"));
        command.addAll(upArguments);
        ProcessBuilder up = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        up.environment().put("WHARF_HOME", home.toString());
        Process process = up.start();
        try {
            awaitReady(process, log);
            Properties connection = new Properties();
            try (InputStream in = Files.newInputStream(home.resolve("connection.properties"))) {
                connection.load(in);
            }
            return new LocalStack(cliJar, home, connection, postgresPort, process);
        } catch (Exception | Error e) {
            stop(process);
            throw e;
        }
    }

    /** The stack's PostgreSQL as its superuser (to empty the archive between runs, outside the timed windows). */
    JdbcTemplate superuser() {
        return new JdbcTemplate(new SimpleDriverDataSource(new Driver(),
                "jdbc:postgresql://127.0.0.1:" + postgresPort + "/wharf", "postgres", ""));
    }

    /**
     * Runs a {@code wharf} command as an operator does, through the checkout's {@code ./wharf} (unpacked jar,
     * class-data archive), as a process of its own; its standard output, or a failure with its output.
     */
    String cli(String... args) throws Exception {
        String wharf = System.getProperty("wharf.command", "wharf");
        // Where there is no ./wharf (the fault run's test, in bench/), the jar the stack runs from.
        List<String> command = Files.isExecutable(Path.of(wharf)) ? new ArrayList<>(List.of(Path.of(wharf).toAbsolutePath().toString()))
                : new ArrayList<>(List.of(java(), "-jar", cliJar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("WHARF_HOME", home.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wharf " + String.join(" ", args) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** The stack's process (for its CPU time). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy(); // SIGTERM: the stack stops its services, then PostgreSQL, the broker and S3
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void awaitReady(Process stack, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("\nready in ")) {
                return;
            }
            if (!stack.isAlive()) {
                throw new IllegalStateException("wharf local up exited " + stack.exitValue() + ": " + text);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("wharf local up was not ready within 5 minutes (see " + log + ")");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
