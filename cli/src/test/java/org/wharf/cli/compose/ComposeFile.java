package org.wharf.cli.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A compose file as Compose reads it: anchors, aliases and merge keys ({@code <<: *x}) resolved by
 * SnakeYAML, relative paths taken from {@code directory}. Interpolation ({@code ${VAR:?}}) is left as
 * written: the rules look at it.
 */
record ComposeFile(Path directory, Map<String, Object> document) {

    /** The services that are Wharf's own, each built from the module of the same name. */
    static final List<String> WHARF_SERVICES = List.of("checker-service", "loader-service", "backup-service", "deploy-service",
            "scheduler-service");

    static ComposeFile read(Path file) {
        try {
            Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            return new ComposeFile(file.toAbsolutePath().getParent(), document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A deep copy for a test to break: an alias is one shared object once parsed (every Wharf service's
     * depends_on is the same map), so breaking one service must not break the others.
     */
    ComposeFile copy() {
        return new ComposeFile(directory, map(deepCopy(document)));
    }

    Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(document.get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = services().get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return service;
    }

    /** A service's environment, in either of Compose's forms (a map, or a list of NAME=value). */
    Map<String, String> environment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((name, value) -> variables.put(String.valueOf(name), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> lines) {
            for (Object line : lines) {
                String text = String.valueOf(line);
                int equals = text.indexOf('=');
                variables.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        }
        return variables;
    }

    /** The services that run once and exit ({@code restart: "no"}), such as the bucket creation. */
    Set<String> oneShots() {
        Set<String> oneShots = new LinkedHashSet<>();
        services().forEach((name, service) -> {
            if ("no".equals(String.valueOf(service.get("restart")))) {
                oneShots.add(name);
            }
        });
        return oneShots;
    }

    /** The name of the service running {@code repository} (an image without its tag), or null. */
    String serviceRunning(String repository) {
        return services().entrySet().stream()
                .filter(e -> e.getValue().get("image") != null && ImageReference.parse(String.valueOf(e.getValue().get("image")))
                        .repository().equals(repository))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : new LinkedHashMap<>();
    }

    static List<Object> list(Object value) {
        return value instanceof List<?> items ? new ArrayList<>(items) : new ArrayList<>();
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> entries) {
            Map<String, Object> copy = new LinkedHashMap<>();
            entries.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> items) {
            List<Object> copy = new ArrayList<>();
            items.forEach(item -> copy.add(deepCopy(item)));
            return copy;
        }
        return value;
    }

    /** {@code [registry/]repository[:tag][@digest]}, Docker's way: the tag follows the last ':' after the last '/'. */
    record ImageReference(String repository, String tag) {

        static ImageReference parse(String image) {
            String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
            int slash = name.lastIndexOf('/');
            int colon = name.lastIndexOf(':');
            String repository = colon > slash ? name.substring(0, colon) : name;
            String tag = colon > slash ? name.substring(colon + 1) : null;
            // docker.io/library/postgres and postgres are one image.
            repository = repository.replaceFirst("^(docker\\.io|index\\.docker\\.io)/", "").replaceFirst("^library/", "");
            return new ImageReference(repository, tag);
        }
    }
}
