package org.wharf.cli.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.backup.BackupApplication;
import org.wharf.checker.CheckerApplication;
import org.wharf.common.WharfApplication;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.deploy.DeployApplication;
import org.wharf.loader.LoaderApplication;
import org.wharf.scheduler.SchedulerApplication;

/** The five services in this JVM, each with its own Spring context, schema, role and consumer group. */
public final class LocalStack implements AutoCloseable {

    public record Service(String name, String schema, Class<?> application) {
    }

    public static final List<Service> SERVICES = List.of(
            new Service(CheckerApplication.SERVICE_NAME, "checker", CheckerApplication.class),
            new Service(LoaderApplication.SERVICE_NAME, "loader", LoaderApplication.class),
            new Service(BackupApplication.SERVICE_NAME, "backup", BackupApplication.class),
            new Service(DeployApplication.SERVICE_NAME, "deploy", DeployApplication.class),
            new Service(SchedulerApplication.SERVICE_NAME, "scheduler", SchedulerApplication.class));

    /** A service's management port: its health and its Prometheus scrape, on 127.0.0.1. */
    public record Management(String service, int port) {
        public String health() {
            return "http://127.0.0.1:" + port + "/actuator/health";
        }

        public String metrics() {
            return "http://127.0.0.1:" + port + "/actuator/prometheus";
        }
    }

    private final List<ConfigurableApplicationContext> contexts;

    private LocalStack(List<ConfigurableApplicationContext> contexts) {
        this.contexts = contexts;
    }

    /** Starts every service against {@code infrastructure}; {@code configFiles} are read by each (--config). */
    public static LocalStack start(LocalInfrastructure infrastructure, List<Path> configFiles, Map<String, String> extra) {
        return start(infrastructure, configFiles, extra, Map.of());
    }

    /** As above, the deploy-service also given {@code deployInventory} (the sample deploy's). */
    public static LocalStack start(LocalInfrastructure infrastructure, List<Path> configFiles, Map<String, String> extra,
            Map<String, Object> deployInventory) {
        return start(infrastructure, configFiles, extra, deployInventory, 0);
    }

    /**
     * As above, the services' management ports {@code managementPortBase}, +1, ... in the order of
     * {@link #SERVICES}; 0: any free ports (tests, which may run beside a {@code wharf local up}).
     */
    public static LocalStack start(LocalInfrastructure infrastructure, List<Path> configFiles, Map<String, String> extra,
            Map<String, Object> deployInventory, int managementPortBase) {
        List<ConfigurableApplicationContext> started = new ArrayList<>();
        try {
            for (Service service : SERVICES) {
                Map<String, Object> properties = properties(infrastructure, service, configFiles, extra, deployInventory,
                        managementPortBase == 0 ? 0 : managementPortBase + SERVICES.indexOf(service));
                // The stack stops its services itself, in order, before the infrastructure under them.
                properties.put("spring.main.register-shutdown-hook", "false");
                started.add(WharfApplication.run(service.application(), service.name(), properties));
            }
            return new LocalStack(started);
        } catch (RuntimeException e) {
            new LocalStack(started).close();
            throw e;
        }
    }

    /**
     * A service's properties in the local stack, in this JVM or in a process of its own: its schema and role,
     * the broker and S3, its management port (0: any), the --config files, the sample backup target (the
     * backup-service) or inventory (the deploy-service), then {@code extra}.
     */
    static Map<String, Object> properties(LocalInfrastructure infrastructure, Service service, List<Path> configFiles,
            Map<String, String> extra, Map<String, Object> deployInventory, int managementPort) {
        Map<String, Object> properties = new LinkedHashMap<>(infrastructure.serviceProperties(service.schema()));
        properties.put("server.port", managementPort);
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", "false");
        if (!configFiles.isEmpty()) {
            properties.put("spring.config.additional-location",
                    String.join(",", configFiles.stream().map(p -> "optional:file:" + p.toAbsolutePath()).toList()));
        }
        if (service.application() == BackupApplication.class) {
            properties.putAll(infrastructure.sampleBackupTarget());
        }
        if (service.application() == DeployApplication.class) {
            properties.putAll(deployInventory);
        }
        properties.putAll(extra);
        return properties;
    }

    /** The service of that name (checker, loader, backup, deploy, scheduler; or its full name); empty if none. */
    static Optional<Service> named(String name) {
        return SERVICES.stream().filter(s -> s.schema().equals(name) || s.name().equals(name)).findFirst();
    }

    /** Where each service answers health and metrics, in the order of {@link #SERVICES}. */
    public List<Management> management() {
        List<Management> ports = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
            ports.add(new Management(SERVICES.get(i).name(),
                    contexts.get(i).getEnvironment().getRequiredProperty("local.server.port", Integer.class)));
        }
        return ports;
    }

    @Override
    public void close() {
        List<ConfigurableApplicationContext> reversed = new ArrayList<>(contexts);
        Collections.reverse(reversed);
        reversed.forEach(ConfigurableApplicationContext::close);
    }
}
