package org.wharf.common.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.wharf.common.WharfApplication;
import org.wharf.common.infra.Folders;
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
                    Folders.deleteRecursively(work);

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

    /**
     * Starts a service as its own Spring application against the shared infrastructure, for tests that
     * stop and start it again (a restart in the middle of some work); {@code overrides} win.
     */
    public static ConfigurableApplicationContext startService(Class<?> application, String serviceName, String schema,
                                                              Map<String, ?> overrides) {
        Map<String, Object> properties = new HashMap<>(get().serviceProperties(schema));
        properties.put("wharf.consumer.retry-max-interval", "1s");
        properties.putAll(overrides);
        return WharfApplication.run(application, serviceName, properties);
    }
}
