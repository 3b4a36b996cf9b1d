package org.wharf.common;

import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a Wharf service. Each service reads {@code <service-name>.yml} rather than
 * {@code application.yml}, so that all five can run in one JVM ({@code wharf local up}) without
 * reading each other's configuration.
 */
public final class WharfApplication {

    private WharfApplication() {
    }

    public static SpringApplicationBuilder builder(Class<?> application, String serviceName) {
        return new SpringApplicationBuilder(application)
                .properties("spring.config.name=" + serviceName, "wharf.service-name=" + serviceName);
    }

    public static ConfigurableApplicationContext run(Class<?> application, String serviceName, String[] args) {
        return builder(application, serviceName).run(args);
    }

    /** Runs a service with {@code overrides} taking precedence over its own configuration files. */
    public static ConfigurableApplicationContext run(Class<?> application, String serviceName, Map<String, ?> overrides) {
        String[] args = overrides.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return run(application, serviceName, args);
    }
}
