package org.wharf.cli.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;

import org.wharf.common.json.WharfJson;

/**
 * The processes {@code wharf local up --processes} starts, each a JVM on this one's classpath running
 * {@link LocalProcess}, its output in a log file of its own; and the table of them ({@code processes} in the
 * data folder) that {@code wharf local ps} reads. Nothing here restarts a process that exits.
 */
final class LocalProcesses implements AutoCloseable {

    /** The table's file in the data folder: one line a process, {@code role pid started log}. */
    static final String TABLE = "processes";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** A started process: its role ({@code broker}, {@code s3}, {@code checker-1}...) and where its output goes. */
    record Child(String role, Process process, Path log) {
    }

    /** A line of the table. */
    record Entry(String role, long pid, Instant started, String log) {
        /** Whether that process still runs: the same pid, started at the same second (a pid can be reused). */
        boolean running() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().startInstant())
                    .map(start -> Math.abs(start.getEpochSecond() - started.getEpochSecond()) <= 1)
                    .orElse(false);
        }
    }

    /** How a role was started, so that {@code wharf local start} can start it again the same way. */
    private record Launch(int heapMiB, List<String> arguments, Map<String, String> environment) {
    }

    private final Path logs;
    private final List<Child> children = new CopyOnWriteArrayList<>();
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private volatile Consumer<Child> onStart = c -> { };

    LocalProcesses(Path logs) {
        this.logs = logs;
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code role}: {@code LocalProcess <arguments>}, with {@code -Xmx<heapMiB>m} and {@code environment} added. */
    Child start(String role, int heapMiB, List<String> arguments, Map<String, String> environment) {
        launches.put(role, new Launch(heapMiB, List.copyOf(arguments), Map.copyOf(environment)));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMiB + "m"));
        // The class-data archive ./wharf made, if this JVM was given one: children start faster with it too.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-Xlog:cds") || a.startsWith("-Xshare"))
                .forEach(command::add);
        String classPath = System.getProperty("java.class.path");
        if (isBootJar(classPath)) {
            // java -jar wharf.jar: the classes are nested in the jar, which only Spring Boot's launcher reads.
            command.addAll(List.of("-Dloader.main=" + LocalProcess.class.getName(), "-cp", classPath,
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
        } else {
            command.addAll(List.of("-cp", classPath, LocalProcess.class.getName()));
        }
        command.addAll(arguments);
        Path log = logs.resolve(role + ".log");
        try {
            Files.writeString(log, "---- " + Instant.now() + " " + role + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Child child = new Child(role, builder.start(), log);
            children.removeIf(c -> c.role().equals(role));
            children.add(child);
            onStart.accept(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the " + role + " process: " + e.getMessage(), e);
        }
    }

    /** Whether the class path is one Spring Boot jar (its classes under BOOT-INF/), as with {@code java -jar wharf.jar}. */
    static boolean isBootJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A service's environment: its properties as {@code SPRING_APPLICATION_JSON}, so that its secrets are in no command line. */
    static Map<String, String> springProperties(Map<String, Object> properties) {
        Map<String, String> strings = new LinkedHashMap<>();
        properties.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return Map.of("SPRING_APPLICATION_JSON", WharfJson.MAPPER.writeValueAsString(strings));
    }

    /**
     * Waits for the child's {@link LocalProcess#READY} line and returns its {@code key=value} pairs.
     *
     * @throws IllegalStateException if the child exits first (with the last thing it said) or is not ready in time
     */
    static Map<String, String> awaitReady(Child child, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                List<String> lines = Files.readAllLines(child.log(), StandardCharsets.UTF_8);
                int start = lastIndexStartingWith(lines, "---- ");
                for (String line : lines.subList(Math.max(0, start), lines.size())) {
                    if (line.startsWith(LocalProcess.READY + " ")) {
                        Map<String, String> ready = new LinkedHashMap<>();
                        for (String pair : line.substring(LocalProcess.READY.length() + 1).split(" ")) {
                            ready.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                        }
                        return ready;
                    }
                }
                if (!child.process().isAlive()) {
                    String said = lines.stream().filter(l -> l.startsWith("could not start: ")).reduce((a, b) -> b)
                            .map(l -> l.substring("could not start: ".length())).orElse("see " + child.log());
                    throw new IllegalStateException("the " + child.role() + " process exited with status "
                            + child.process().exitValue() + ": " + said);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the " + child.role() + " process was not ready within "
                            + timeout.toSeconds() + " s (see " + child.log() + ")");
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the " + child.role() + " process");
        }
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    List<Child> children() {
        return List.copyOf(children);
    }

    /** Called with every child started from now on (the first time or again). */
    void onStart(Consumer<Child> action) {
        this.onStart = action;
    }

    /** The child of that role; refused if the stack has none. */
    Child child(String role) {
        return children.stream().filter(c -> c.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process '" + role + "' in this stack ("
                        + String.join(", ", children.stream().map(Child::role).toList()) + ", postgres)"));
    }

    /** Starts {@code role} again as it was started, once its last process has exited; returns it once it is ready. */
    synchronized Child startAgain(String role) {
        Child last = child(role);
        if (last.process().isAlive()) {
            throw new IllegalArgumentException(role + " is running (pid " + last.process().pid() + ")");
        }
        Launch launch = launches.get(role);
        Child child = start(role, launch.heapMiB(), launch.arguments(), launch.environment());
        try {
            awaitReady(child, Duration.ofMinutes(4));
        } catch (RuntimeException e) {
            child.process().destroyForcibly();
            throw e;
        }
        return child;
    }

    /** Stops {@code role}'s process: SIGTERM, then -9 after 30 s; or -9 at once when {@code kill}. */
    synchronized Child stop(String role, boolean kill) {
        Child child = child(role);
        if (!child.process().isAlive()) {
            throw new IllegalArgumentException(role + " is not running (pid " + child.process().pid() + " exited with status "
                    + child.process().exitValue() + ")");
        }
        if (kill) {
            child.process().destroyForcibly();
            try {
                child.process().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            stop(List.of(child));
        }
        return child;
    }

    /** Writes the table: this process first, then {@code others} (PostgreSQL's server, say), then every child. */
    void writeTable(Path dataDir, List<Entry> others) {
        List<Entry> entries = new ArrayList<>();
        ProcessHandle self = ProcessHandle.current();
        entries.add(new Entry("wharf-local-up", self.pid(), self.info().startInstant().orElse(Instant.now()), "-"));
        entries.addAll(others);
        for (Child child : children) {
            entries.add(new Entry(child.role(), child.process().pid(),
                    child.process().info().startInstant().orElse(Instant.now()), child.log().toString()));
        }
        write(dataDir, entries);
    }

    private static void write(Path dataDir, List<Entry> entries) {
        StringBuilder table = new StringBuilder();
        for (Entry e : entries) {
            table.append(e.role()).append(' ').append(e.pid()).append(' ').append(e.started()).append(' ').append(e.log()).append('\n');
        }
        try {
            Path file = dataDir.resolve(TABLE);
            Path next = dataDir.resolve(TABLE + ".next");
            Files.writeString(next, table, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table the last stack on {@code dataDir} wrote; empty if none ran there. */
    static Optional<List<Entry>> readTable(Path dataDir) {
        Path file = dataDir.resolve(TABLE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ", 4);
                if (fields.length == 4) {
                    entries.add(new Entry(fields[0], Long.parseLong(fields[1]), Instant.parse(fields[2]), fields[3]));
                }
            }
            return Optional.of(entries);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The server's pid from PostgreSQL's own {@code postmaster.pid}; empty if there is none. */
    static Optional<Entry> postgres(Path dataDirectory) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).map(p -> new Entry("postgres", pid, p.info().startInstant().orElse(Instant.now()), "-"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the children: the services first (SIGTERM to all, then each awaited), then the S3 server and
     * the broker; a child that does not stop within 30 s is killed.
     */
    @Override
    public void close() {
        List<Child> reversed = new ArrayList<>(children);
        Collections.reverse(reversed); // the services were started last
        List<Child> services = reversed.stream().filter(c -> !c.role().equals("broker") && !c.role().equals("s3")).toList();
        List<Child> infrastructure = reversed.stream().filter(c -> c.role().equals("broker") || c.role().equals("s3")).toList();
        stop(services);
        stop(infrastructure);
    }

    private static void stop(List<Child> group) {
        group.forEach(c -> c.process().destroy());
        for (Child c : group) {
            try {
                if (!c.process().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    c.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                c.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
