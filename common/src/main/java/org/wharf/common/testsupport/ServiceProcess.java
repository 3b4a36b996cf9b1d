package org.wharf.common.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.WharfApplication;
import org.wharf.common.json.WharfJson;

/**
 * A Wharf service in a process of its own, for tests and benchmarks that cap its heap, measure it, or
 * kill it. The child reads its configuration from {@code SPRING_APPLICATION_JSON} and prints its peak
 * heap every second ({@code peakHeapMiB=<n>}, the sum of the heap pools' peaks).
 *
 * <p>Child arguments: {@code <application class> <service name> [<initializer class>]}; the optional
 * {@link ApplicationContextInitializer} lets a test add a collaborator of its own (one that kills the
 * process at a chosen moment, say).
 */
public final class ServiceProcess {

    private static final Pattern PEAK = Pattern.compile("peakHeapMiB=(\\d+)");

    private ServiceProcess() {
    }

    /** Starts {@code application} as a child JVM with {@code -Xmx<heapMiB>m}, its output going to {@code log}. */
    public static Process start(Class<?> application, String serviceName, Map<String, Object> properties, int heapMiB,
                                Path log, Class<?> initializer, String... jvmOptions) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heapMiB + "m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServiceProcess.class.getName(),
                application.getName(), serviceName));
        if (initializer != null) {
            command.add(initializer.getName());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPRING_APPLICATION_JSON", WharfJson.MAPPER.writeValueAsString(properties));
        return builder.start();
    }

    /**
     * Waits until the child has started (Spring Boot's "Started" line in its log).
     *
     * @throws IllegalStateException if it exits first, or has not started within {@code timeout}
     */
    public static void awaitStarted(Process child, Path log, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!Files.exists(log) || !Files.readString(log).contains("Started ")) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("the service exited with status " + child.exitValue() + " (see " + log + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the service did not start within " + timeout + " (see " + log + ")");
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the service to start", e);
        }
    }

    /** The highest peak heap a child printed, in MiB; -1 if it printed none. */
    public static long peakHeapMiB(String output) {
        return PEAK.matcher(output).results().mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(-1);
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        SpringApplicationBuilder builder = WharfApplication.builder(Class.forName(args[0]), args[1]);
        if (args.length > 2) {
            builder.initializers((ApplicationContextInitializer<ConfigurableApplicationContext>)
                    Class.forName(args[2]).getDeclaredConstructor().newInstance());
        }
        Thread reporter = new Thread(() -> {
            while (true) {
                System.out.println("peakHeapMiB=" + peakHeap());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peak-heap-reporter");
        reporter.setDaemon(true);
        reporter.start();
        builder.run();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
