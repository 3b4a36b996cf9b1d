package org.wharf.common.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds the management defaults ({@code wharf-management.properties}) below every other source, early
 * enough for the actuator's conditions and for logging: a {@code @PropertySource} comes too late for both.
 * Also makes the console log structured JSON (Elastic Common Schema) unless {@code wharf.logging.json}
 * is false; it applies where Spring Boot's own logging configuration is in use (a service run as a
 * service), not under a logback file of one's own ({@code wharf local up}, the tests).
 */
public final class ManagementDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "wharfManagementDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            environment.getPropertySources().addLast(new ResourcePropertySource(SOURCE,
                    new ClassPathResource("wharf-management.properties", ManagementDefaults.class.getClassLoader())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (environment.getProperty("wharf.logging.json", Boolean.class, true)) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE + ".logging",
                    Map.of("logging.structured.format.console", "ecs")));
        }
    }
}
