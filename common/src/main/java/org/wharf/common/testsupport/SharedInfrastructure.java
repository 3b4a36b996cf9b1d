package org.wharf.common.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.wharf.common.infra.LocalInfrastructure;

/**
 * The one broker, PostgreSQL and S3 server of a test JVM, started by the first test class that asks
 * and stopped (child processes and folders included) when the JVM exits.
 */
public final class SharedInfrastructure {

    private static LocalInfrastructure instance;

    private SharedInfrastructure() {
    }

    public static synchronized LocalInfrastructure get() {
        if (instance == null) {
            try {
                Path work = Files.createTempDirectory("wharf-test-");
                instance = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, work);
                LocalInfrastructure started = instance;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteRecursively(work);

                }, "wharf-test-infrastructure-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Points a Spring test context at the shared infrastructure as the service owning {@code schema}. */
    public static void register(DynamicPropertyRegistry registry, String schema) {
        get().serviceProperties(schema).forEach((name, value) -> registry.add(name, () -> value));
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder left behind is harmless
        }
    }
}
