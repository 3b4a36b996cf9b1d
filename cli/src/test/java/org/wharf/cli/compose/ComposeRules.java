package org.wharf.cli.compose;

import static org.wharf.cli.compose.ComposeFile.WHARF_SERVICES;
import static org.wharf.cli.compose.ComposeFile.list;
import static org.wharf.cli.compose.ComposeFile.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.Uuid;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.wharf.backup.target.BackupTargets;
import org.wharf.cli.compose.ComposeFile.ImageReference;
import org.wharf.common.WharfProperties;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.s3.S3Properties;
import org.wharf.common.topic.TopicProperties;
import org.wharf.deploy.inventory.DeployInventory;

/**
 * The rules docker-compose.yml must keep (issue 13, item 8), each a function of the parsed file giving
 * what breaks it, one line per problem naming the service; empty when the rule holds.
 */
final class ComposeRules {

    /** Images no longer published: MinIO's community images, the original Kafka UI. */
    static final Set<String> ARCHIVED_IMAGES = Set.of("minio/minio", "minio/mc", "quay.io/minio/minio", "quay.io/minio/mc",
            "bitnami/minio", "provectuslabs/kafka-ui");
    /** A variable or key holding a secret, by its name. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|_key|key_|token|credential).*");
    /** Spring's default shutdown phase timeout: a service needs longer than this to stop cleanly. */
    static final Duration SPRING_SHUTDOWN_PHASE = Duration.ofSeconds(30);
    static final String READINESS_PATH = "/actuator/health/readiness";

    /** Spring maps WHARF_S3_ENDPOINT to wharf.s3.endpoint only in a source it takes for the system environment, by its name. */
    private static final String COMPOSE_ENVIRONMENT = "compose-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern WHOLE_REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:\\?[^}]+}");
    private static final Pattern SPRING_PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");
    private static final Pattern VERSION_TAG = Pattern.compile("v?\\d+\\.\\d+.*");
    private static final Pattern LISTENER = Pattern.compile("([A-Za-z_]+)://([^:,]*):(\\d+)");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(h|ms|m|s|us)");

    private ComposeRules() {
    }

    /** Every long-running service has a healthcheck that runs a command (one-shots exit instead). */
    static List<String> healthchecks(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        Set<String> oneShots = compose.oneShots();
        compose.services().forEach((name, service) -> {
            if (oneShots.contains(name)) {
                return;
            }
            Map<String, Object> healthcheck = map(service.get("healthcheck"));
            List<Object> test = list(healthcheck.get("test"));
            if (healthcheck.isEmpty() || Boolean.TRUE.equals(healthcheck.get("disable"))) {
                problems.add(name + ": no healthcheck");
            } else if (test.size() < 2 || !List.of("CMD", "CMD-SHELL").contains(String.valueOf(test.get(0)))) {
                problems.add(name + ": healthcheck test is not [CMD, …] or [CMD-SHELL, …]: " + test);
            }
        });
        return problems;
    }

    /**
     * A Wharf service is healthy when Actuator says it is ready (on its management port): through the
     * buildpack's health checker (THC_PORT, THC_PATH) or a command asking that URL.
     */
    static List<String> readinessHealthchecks(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        for (String service : WHARF_SERVICES) {
            Map<String, String> environment = compose.environment(service);
            String port = environment.getOrDefault("MANAGEMENT_SERVER_PORT", environment.get("SERVER_PORT"));
            List<Object> test = list(map(compose.service(service).get("healthcheck")).get("test"));
            boolean healthChecker = test.contains("/workspace/health-check")
                    && READINESS_PATH.equals(environment.get("THC_PATH")) && port != null && port.equals(environment.get("THC_PORT"));
            boolean asksTheUrl = test.stream().anyMatch(word -> String.valueOf(word).contains("http://127.0.0.1:" + port + READINESS_PATH));
            if (port == null || !(healthChecker || asksTheUrl)) {
                problems.add(service + ": its healthcheck does not ask " + READINESS_PATH + " on its management port (" + port + ")");
            }
        }
        return problems;
    }

    /**
     * Every dependency waits for a condition: service_completed_successfully on a one-shot, else
     * service_healthy on a service that has a healthcheck; never the short form (started is not ready).
     */
    static List<String> dependencies(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> services = compose.services();
        Set<String> oneShots = compose.oneShots();
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            if (!(dependsOn instanceof Map<?, ?>)) {
                problems.add(name + ": depends_on " + dependsOn + " has no conditions (use the long form)");
                return;
            }
            map(dependsOn).forEach((target, settings) -> {
                String condition = String.valueOf(map(settings).get("condition"));
                String expected = oneShots.contains(target) ? "service_completed_successfully" : "service_healthy";
                if (!services.containsKey(target)) {
                    problems.add(name + ": depends on " + target + ", which is not a service");
                } else if (!condition.equals(expected)) {
                    problems.add(name + ": depends on " + target + " with condition " + condition + ", expected " + expected);
                } else if (expected.equals("service_healthy") && map(services.get(target).get("healthcheck")).isEmpty()) {
                    problems.add(name + ": waits for " + target + " to be healthy, but it has no healthcheck");
                }
            });
        });
        return problems;
    }

    /**
     * Every Wharf service waits for the broker and the database to be healthy and for the one-shot that
     * creates every bucket the platform uses to have ended well.
     */
    static List<String> wharfServicesWaitForTheirInfrastructure(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        String kafka = compose.serviceRunning("apache/kafka");
        String postgres = compose.serviceRunning("postgres");
        List<String> buckets = List.of(LocalInfrastructure.DEPOSITS_BUCKET, LocalInfrastructure.ARCHIVE_BUCKET,
                LocalInfrastructure.BACKUPS_BUCKET);
        String bucketJob = compose.oneShots().stream()
                .filter(name -> buckets.stream().allMatch(String.valueOf(compose.service(name).get("command"))::contains))
                .findFirst().orElse(null);
        if (kafka == null || postgres == null) {
            problems.add("no apache/kafka or postgres service");
        }
        if (bucketJob == null) {
            problems.add("no one-shot service creates the buckets " + buckets);
        }
        for (String service : WHARF_SERVICES) {
            Map<String, Object> dependsOn = map(compose.service(service).get("depends_on"));
            for (String needed : new String[] { kafka, postgres, bucketJob }) {
                if (needed != null && !dependsOn.containsKey(needed)) {
                    problems.add(service + ": does not wait for " + needed);
                }
            }
        }
        return problems;
    }

    /** Every published port binds 127.0.0.1; no service shares the host's network. */
    static List<String> publishedPortsOnLoopback(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            if ("host".equals(service.get("network_mode"))) {
                problems.add(name + ": network_mode host listens on every interface");
            }
            for (Object port : list(service.get("ports"))) {
                boolean loopback = port instanceof Map<?, ?> ? "127.0.0.1".equals(map(port).get("host_ip"))
                        : String.valueOf(port).matches("127\\.0\\.0\\.1:\\d+(-\\d+)?:\\d+(-\\d+)?(/(tcp|udp))?");
                if (!loopback) {
                    problems.add(name + ": port " + port + " is not published on 127.0.0.1 only");
                }
            }
        });
        return problems;
    }

    /** Every service runs an image with a version tag: never untagged, never latest. */
    static List<String> pinnedImages(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            Object image = service.get("image");
            if (image == null) {
                problems.add(name + ": no image (a built service still needs its name and tag)");
                return;
            }
            String tag = ImageReference.parse(String.valueOf(image)).tag();
            if (tag == null || !VERSION_TAG.matcher(tag).matches()) {
                problems.add(name + ": image " + image + " is not pinned to a version tag");
            }
        });
        return problems;
    }

    /** No image that its makers stopped publishing. */
    static List<String> maintainedImages(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            Object image = service.get("image");
            if (image != null && ARCHIVED_IMAGES.contains(ImageReference.parse(String.valueOf(image)).repository())) {
                problems.add(name + ": image " + image + " is no longer published");
            }
        });
        return problems;
    }

    /**
     * Every variable the file takes from the environment whose name says it holds a secret is
     * {@code ${NAME:?reason}}: without it, Compose starts with an empty password.
     */
    static List<String> requiredSecrets(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        strings(compose.document(), "", (where, text) -> {
            Matcher matcher = INTERPOLATION.matcher(text.replace("$$", ""));
            while (matcher.find()) {
                String variable = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
                String modifier = matcher.group(2) == null ? "" : matcher.group(2);
                if (SECRET_NAME.matcher(variable).matches() && !modifier.matches(":\\?.+")) {
                    problems.add(where + ": " + matcher.group() + " does not stop Compose when it is unset (use ${" + variable
                            + ":?reason})");
                }
            }
        });
        return problems;
    }

    /**
     * Every variable Compose is told to require is listed, empty, in the example environment file the
     * operator copies to .env: a secret has no value there either.
     */
    static List<String> environmentExample(ComposeFile compose, Path example) {
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : read(example).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int equals = line.indexOf('=');
                listed.put(equals < 0 ? line.strip() : line.substring(0, equals).strip(), equals < 0 ? "" : line.substring(equals + 1));
            }
        }
        Set<String> required = new LinkedHashSet<>();
        strings(compose.document(), "", (where, text) -> {
            Matcher matcher = INTERPOLATION.matcher(text.replace("$$", ""));
            while (matcher.find()) {
                if (matcher.group(2) != null && matcher.group(2).startsWith(":?")) {
                    required.add(matcher.group(1));
                }
            }
        });
        List<String> problems = new ArrayList<>();
        required.stream().filter(variable -> !listed.containsKey(variable))
                .forEach(variable -> problems.add(example.getFileName() + ": does not list " + variable));
        listed.forEach((variable, value) -> {
            if (!value.isBlank()) {
                problems.add(example.getFileName() + ": " + variable + " has a value (the example must hold none)");
            }
        });
        return problems;
    }

    /**
     * No secret is written in the file or the configuration it mounts: a variable named like a secret
     * is one required variable and nothing else, and a password in a mounted configuration file is a
     * placeholder.
     */
    static List<String> noLiteralSecrets(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        compose.services().keySet().forEach(service -> compose.environment(service).forEach((variable, value) -> {
            if (SECRET_NAME.matcher(variable).matches() && (value == null || !WHOLE_REQUIRED_VARIABLE.matcher(value).matches())) {
                problems.add(service + ": " + variable + " is not one ${NAME:?reason} from the environment");
            }
        }));
        for (String service : WHARF_SERVICES) {
            for (Path file : mountedConfiguration(compose, service)) {
                strings(yaml(file), "", (key, value) -> {
                    String leaf = key.substring(key.lastIndexOf('.') + 1);
                    if (SECRET_NAME.matcher(leaf).matches() && !leaf.endsWith("-file") && !value.matches("\\$\\{[^}]+}")) {
                        problems.add(file.getFileName() + ": " + key + " is written in the file (use a ${VARIABLE})");
                    }
                });
            }
        }
        return problems;
    }

    /**
     * The broker keeps its logs on a volume (the image's default directory is in the container), formatted
     * with a fixed cluster id, so that a new container takes the volume's data as its own.
     */
    static List<String> kafkaLogsOnAVolume(ComposeFile compose) {
        String kafka = compose.serviceRunning("apache/kafka");
        if (kafka == null) {
            return List.of("no apache/kafka service");
        }
        String logDirs = compose.environment(kafka).get("KAFKA_LOG_DIRS");
        if (logDirs == null || logDirs.isBlank()) {
            return List.of(kafka + ": no KAFKA_LOG_DIRS (the image's default is inside the container)");
        }
        Set<String> namedVolumes = map(compose.document().get("volumes")).keySet();
        List<String> mounts = new ArrayList<>();
        for (Object volume : list(compose.service(kafka).get("volumes"))) {
            String[] parts = String.valueOf(volume).split(":");
            if (parts.length >= 2 && namedVolumes.contains(parts[0])) {
                mounts.add(parts[1]);
            }
        }
        List<String> problems = new ArrayList<>();
        // The image formats an empty volume with CLUSTER_ID, which must be a Kafka Uuid (16 bytes, base64).
        try {
            Uuid.fromString(String.valueOf(compose.environment(kafka).get("CLUSTER_ID")));
        } catch (IllegalArgumentException e) {
            problems.add(kafka + ": CLUSTER_ID " + compose.environment(kafka).get("CLUSTER_ID") + " is not a Kafka Uuid");
        }
        for (String dir : logDirs.split(",")) {
            if (mounts.stream().noneMatch(mount -> Path.of(dir.strip()).normalize().startsWith(Path.of(mount)))) {
                problems.add(kafka + ": KAFKA_LOG_DIRS " + dir + " is not on a named volume (mounted: " + mounts + ")");
            }
        }
        return problems;
    }

    /**
     * The broker advertises a listener on 127.0.0.1 that is published on that very port, so that the
     * wharf CLI on this machine reaches it (and is told the address it used).
     */
    static List<String> hostListener(ComposeFile compose) {
        String kafka = compose.serviceRunning("apache/kafka");
        if (kafka == null) {
            return List.of("no apache/kafka service");
        }
        Map<String, String> environment = compose.environment(kafka);
        Map<String, Integer> listening = listeners(environment.get("KAFKA_LISTENERS"), null);
        Map<String, Integer> advertisedOnLoopback = listeners(environment.get("KAFKA_ADVERTISED_LISTENERS"), "127.0.0.1");
        Set<String> published = new LinkedHashSet<>();
        list(compose.service(kafka).get("ports")).forEach(port -> published.add(String.valueOf(port)));
        for (Map.Entry<String, Integer> advertised : advertisedOnLoopback.entrySet()) {
            Integer containerPort = listening.get(advertised.getKey());
            if (containerPort != null && published.contains("127.0.0.1:" + advertised.getValue() + ":" + containerPort)) {
                return List.of();
            }
        }
        return List.of(kafka + ": no listener advertised on 127.0.0.1:PORT and published as 127.0.0.1:PORT:<its port> "
                + "(advertised on 127.0.0.1: " + advertisedOnLoopback + ", listening: " + listening + ", published: " + published + ")");
    }

    /**
     * The backup-service runs its own image, built from its Dockerfile with pg_dump of the database's major
     * version, under a name no buildpack image uses; the other services run the images build-image writes.
     */
    static List<String> serviceImages(ComposeFile compose, Path repository) {
        List<String> problems = new ArrayList<>();
        Map<String, String> buildpackImages = buildpackImages(repository);
        for (String service : WHARF_SERVICES) {
            String image = String.valueOf(compose.service(service).get("image"));
            if (service.equals("backup-service")) {
                if (buildpackImages.containsValue(image)) {
                    problems.add(service + ": image " + image + " is also the name spring-boot:build-image writes (without pg_dump)");
                }
                problems.addAll(backupImageBuild(compose, repository));
            } else if (!image.equals(buildpackImages.get(service))) {
                problems.add(service + ": image " + image + " is not the one its module builds (" + buildpackImages.get(service) + ")");
            }
        }
        return problems;
    }

    private static List<String> backupImageBuild(ComposeFile compose, Path repository) {
        Object build = compose.service("backup-service").get("build");
        String context = build instanceof Map<?, ?> ? String.valueOf(map(build).get("context")) : String.valueOf(build);
        String dockerfile = build instanceof Map<?, ?> && map(build).get("dockerfile") != null
                ? String.valueOf(map(build).get("dockerfile")) : "Dockerfile";
        Path file = compose.directory().resolve(context).resolve(dockerfile).normalize();
        if (build == null || !Files.isRegularFile(file)) {
            return List.of("backup-service: not built from a Dockerfile (" + file + ")");
        }
        Matcher client = Pattern.compile("postgresql-client-(\\d+)").matcher(read(file));
        String postgres = compose.serviceRunning("postgres");
        String tag = postgres == null ? null : ImageReference.parse(String.valueOf(compose.service(postgres).get("image"))).tag();
        String serverMajor = tag == null ? null : tag.replaceFirst("^(\\d+).*", "$1");
        if (!client.find()) {
            return List.of("backup-service: " + repository.relativize(file) + " installs no postgresql-client-N");
        }
        if (!client.group(1).equals(serverMajor)) {
            return List.of("backup-service: pg_dump " + client.group(1) + " (" + repository.relativize(file)
                    + ") but the postgres service runs " + tag + " (pg_dump refuses a newer server)");
        }
        return List.of();
    }

    /** Every long-running service says how long it may take to stop; a Wharf service more than Spring's phase. */
    static List<String> stopGracePeriods(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        Set<String> oneShots = compose.oneShots();
        compose.services().forEach((name, service) -> {
            if (oneShots.contains(name)) {
                return;
            }
            Object period = service.get("stop_grace_period");
            Duration duration = period == null ? null : duration(String.valueOf(period));
            if (duration == null) {
                problems.add(name + ": no stop_grace_period (Docker kills it after 10s)");
            } else if (WHARF_SERVICES.contains(name) && duration.compareTo(SPRING_SHUTDOWN_PHASE) <= 0) {
                problems.add(name + ": stop_grace_period " + period + " is not longer than Spring's shutdown phase ("
                        + SPRING_SHUTDOWN_PHASE.toSeconds() + "s)");
            }
        });
        return problems;
    }

    /**
     * The example backup targets and inventory are mounted where the services read them, bind as the
     * services bind them (no key they do not know), pass the services' own checks at start, and take
     * every placeholder from the service's environment; the inventory's backup is one of the targets
     * and its key is one of the service's secrets.
     */
    static List<String> exampleConfiguration(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        BackupTargets targets = new BackupTargets();
        problems.addAll(bindExample(compose, "backup-service", "wharf.backup", targets, () -> {
            targets.validate();
            if (targets.getTargets().isEmpty()) {
                throw new IllegalStateException("no backup target");
            }
        }));
        DeployInventory inventory = new DeployInventory();
        problems.addAll(bindExample(compose, "deploy-service", "wharf.deploy", inventory, () -> {
            inventory.validate();
            if (inventory.getApplications().isEmpty()) {
                throw new IllegalStateException("no application");
            }
        }));
        List<Object> secrets = list(compose.service("deploy-service").get("secrets"));
        inventory.getApplications().forEach((name, application) -> {
            if (application.getBackupBeforeMigrate() != null && targets.find(application.getBackupBeforeMigrate()) == null) {
                problems.add("deploy-service: application " + name + " backs up " + application.getBackupBeforeMigrate()
                        + ", which is not a target of the backup-service's example");
            }
            application.getEnvironments().values().forEach(environment -> environment.getHosts().forEach(host -> {
                String key = String.valueOf(host.getPrivateKeyFile());
                if (!key.startsWith("/run/secrets/") || !secrets.contains(key.substring("/run/secrets/".length()))) {
                    problems.add("deploy-service: host " + host.endpoint() + "'s private-key-file is not one of the service's secrets");
                }
            }));
        });
        return problems;
    }

    private static List<String> bindExample(ComposeFile compose, String service, String prefix, Object target, Runnable check) {
        List<Path> files = mountedConfiguration(compose, service);
        if (files.isEmpty()) {
            return List.of(service + ": no example configuration mounted where SPRING_CONFIG_ADDITIONAL_LOCATION points");
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> environment = compose.environment(service);
        MutablePropertySources sources = new MutablePropertySources();
        for (Path file : files) {
            strings(yaml(file), "", (key, value) -> {
                Matcher placeholder = SPRING_PLACEHOLDER.matcher(value);
                while (placeholder.find()) {
                    if (!environment.containsKey(placeholder.group(1))) {
                        problems.add(service + ": " + key + " takes ${" + placeholder.group(1) + "}, which its environment does not set");
                    }
                }
            });
            propertySources(file).forEach(sources::addLast);
        }
        MutablePropertySources resolving = new MutablePropertySources(sources);
        resolving.addLast(new SystemEnvironmentPropertySource(COMPOSE_ENVIRONMENT, standIns(environment)));
        Binder binder = new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(resolving));
        try {
            binder.bind(prefix, Bindable.ofInstance(target), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
            check.run();
        } catch (BindException e) {
            problems.add(service + ": " + files + " does not bind as the service binds it: " + rootMessage(e));
        } catch (RuntimeException e) {
            problems.add(service + ": " + files + " is refused as the service would refuse it at start: " + e.getMessage());
        }
        return problems;
    }

    /**
     * Every variable a Wharf service is given is one it reads: a property of a configuration class it
     * binds, a placeholder of its mounted configuration, or one of the few read by others (Spring's
     * config location, the web server and Actuator, the image's health checker).
     */
    static List<String> serviceVariablesAreRead(ComposeFile compose) {
        List<String> problems = new ArrayList<>();
        Map<String, Class<?>> bound = new LinkedHashMap<>();
        bound.put("spring.datasource", DataSourceProperties.class);
        bound.put("spring.kafka", KafkaProperties.class);
        bound.put("wharf.s3", S3Properties.class);
        bound.put("wharf.topics", TopicProperties.class);
        bound.put("wharf", WharfProperties.class);
        for (String service : WHARF_SERVICES) {
            Map<String, String> environment = compose.environment(service);
            Set<String> read = new LinkedHashSet<>();
            ConfigurationPropertySource variables = ConfigurationPropertySource.from(
                    new SystemEnvironmentPropertySource(COMPOSE_ENVIRONMENT, standIns(environment)));
            Binder binder = new Binder(variables);
            bound.forEach((prefix, type) -> {
                List<ConfigurationPropertyName> names = new ArrayList<>();
                try {
                    binder.bind(prefix, Bindable.of(type), new AbstractBindHandler() {
                        @Override
                        public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
                            names.add(name);
                            return result;
                        }
                    });
                } catch (BindException e) {
                    problems.add(service + ": " + prefix + ".* does not bind: " + rootMessage(e));
                }
                // The variable that gave each bound value, as the environment names it.
                for (ConfigurationPropertyName name : names) {
                    ConfigurationProperty property = variables.getConfigurationProperty(name);
                    if (property != null && Origin.from(property) instanceof SystemEnvironmentOrigin origin) {
                        read.add(origin.getProperty());
                    } else if (property != null && Origin.from(property) instanceof PropertySourceOrigin origin) {
                        read.add(origin.getPropertyName());
                    }
                }
            });
            for (Path file : mountedConfiguration(compose, service)) {
                strings(yaml(file), "", (key, value) -> {
                    Matcher placeholder = SPRING_PLACEHOLDER.matcher(value);
                    while (placeholder.find()) {
                        read.add(placeholder.group(1));
                    }
                });
            }
            environment.keySet().stream()
                    .filter(variable -> !read.contains(variable) && !readByOthers(variable))
                    .forEach(variable -> problems.add(service + ": " + variable + " is read by nothing in the service"));
        }
        return problems;
    }

    /** Variables for Spring's config data, the web server and Actuator (issue 13, item 6), and the buildpack's health checker. */
    private static boolean readByOthers(String variable) {
        return variable.equals("SPRING_CONFIG_ADDITIONAL_LOCATION") || variable.equals("SERVER_PORT")
                || variable.startsWith("MANAGEMENT_") || variable.equals("THC_PORT") || variable.equals("THC_PATH");
    }

    /** The configuration files mounted in the directory SPRING_CONFIG_ADDITIONAL_LOCATION names, as files here. */
    static List<Path> mountedConfiguration(ComposeFile compose, String service) {
        String location = compose.environment(service).get("SPRING_CONFIG_ADDITIONAL_LOCATION");
        if (location == null || !location.startsWith("file:") || !location.endsWith("/")) {
            return List.of();
        }
        String directory = location.substring("file:".length());
        List<Path> files = new ArrayList<>();
        for (Object volume : list(compose.service(service).get("volumes"))) {
            String[] parts = String.valueOf(volume).split(":");
            if (parts.length >= 2 && parts[1].equals(directory + service + ".yml")) {
                Path local = compose.directory().resolve(parts[0]).normalize();
                if (Files.isRegularFile(local)) {
                    files.add(local);
                }
            }
        }
        return files;
    }

    /** The image name each service module's spring-boot:build-image writes, by service. */
    static Map<String, String> buildpackImages(Path repository) {
        String root = read(repository.resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>wharf-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(root);
        if (!version.find()) {
            throw new IllegalStateException("no version in the root pom");
        }
        Map<String, String> images = new LinkedHashMap<>();
        for (String service : WHARF_SERVICES) {
            Matcher name = Pattern.compile("<image>\\s*<name>([^<]+)</name>").matcher(read(repository.resolve(service).resolve("pom.xml")));
            if (name.find()) {
                images.put(service, name.group(1).replace("${project.version}", version.group(1)));
            }
        }
        return images;
    }

    /** Compose's duration form: 1h30m, 90s, 500ms; null when it is not one. */
    static Duration duration(String text) {
        if (!text.matches("(\\d+(h|ms|m|s|us))+")) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "ms" -> Duration.ofMillis(amount);
                default -> Duration.ofNanos(amount * 1000);
            });
        }
        return total;
    }

    /** Listener name to port, of the listeners on {@code host} (any host when null). */
    private static Map<String, Integer> listeners(String listeners, String host) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (listeners != null) {
            Matcher matcher = LISTENER.matcher(listeners);
            while (matcher.find()) {
                if (host == null || host.equals(matcher.group(2))) {
                    ports.put(matcher.group(1), Integer.valueOf(matcher.group(3)));
                }
            }
        }
        return ports;
    }

    /** The environment with every ${…} replaced by a stand-in value, as Compose would give it once set. */
    private static Map<String, Object> standIns(Map<String, String> environment) {
        Map<String, Object> values = new LinkedHashMap<>();
        environment.forEach((name, value) -> values.put(name, value == null ? "" : INTERPOLATION.matcher(value).replaceAll("stand-in")));
        return values;
    }

    /** Every scalar under {@code node}, as text, with its path (a.b[0].c). */
    private static void strings(Object node, String path, BiConsumer<String, String> visitor) {
        if (node instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> strings(value, path.isEmpty() ? String.valueOf(key) : path + "." + key, visitor));
        } else if (node instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                strings(items.get(i), path + "[" + i + "]", visitor);
            }
        } else if (node != null) {
            visitor.accept(path, String.valueOf(node));
        }
    }

    private static Map<String, Object> yaml(Path file) {
        return ComposeFile.read(file).document();
    }

    private static List<PropertySource<?>> propertySources(Path file) {
        try {
            return new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
