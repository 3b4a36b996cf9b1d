package org.wharf.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.deploy.DeployApplication;
import org.wharf.deploy.inventory.InventoryEntries.Entry;
import org.wharf.deploy.inventory.InventoryEntries.Key;

/**
 * The inventory is stored in the deploy schema at start: added, changed and removed entries are logged and
 * recorded once, a restart with the same inventory records nothing, and a command's text is never logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class InventoryRecordTest {

    private static final String SECRET_BUILD = "DB_PASSWORD=hunter2-" + UUID.randomUUID() + " make build";

    @BeforeAll
    static void migrated() {
        startAndStop(Map.of()); // the deploy schema exists whichever test runs first
    }

    @Test
    void startsRecordOnlyWhatChanged(CapturedOutput output) {
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> config = application(app);

        startAndStop(config);
        assertThat(entries(app)).containsExactly(List.of(app, "staging", "127.0.0.1:2222"));
        assertThat(changes(app)).containsExactly(List.of("added", "staging", "127.0.0.1:2222", ""));
        assertThat(output.getOut()).contains("inventory: " + app + "/staging 127.0.0.1:2222 added");

        int logged = count(output.getOut(), "inventory: " + app + "/");
        startAndStop(config);
        assertThat(changes(app)).as("a restart with the same inventory records nothing").hasSize(1);
        assertThat(count(output.getOut(), "inventory: " + app + "/")).as("and logs nothing").isEqualTo(logged);

        config.put("wharf.deploy.applications." + app + ".build", SECRET_BUILD + " --again");
        startAndStop(config);
        assertThat(changes(app)).hasSize(2);
        assertThat(changes(app).get(1)).containsExactly("changed", "staging", "127.0.0.1:2222", "build");
        assertThat(output.getOut()).contains("inventory: " + app + "/staging 127.0.0.1:2222 changed: build");
        assertThat(output.getAll()).doesNotContain("hunter2");
        assertThat(jdbc().queryForList("select settings::text from inventory_entry where application = ?", String.class, app))
                .as("the stored settings are hashes, not the commands").noneMatch(settings -> settings.contains("hunter2"));
        List<Map<String, Object>> hashes = jdbc().queryForList(
                "select old_hash, new_hash from inventory_change where application = ? and change = 'changed'", app);
        assertThat(hashes.get(0).get("old_hash")).isNotNull().isNotEqualTo(hashes.get(0).get("new_hash"));

        config.put("wharf.deploy.applications." + app + ".environments.staging.hosts[1].address", "127.0.0.2");
        config.put("wharf.deploy.applications." + app + ".environments.staging.hosts[1].user", "deployer");
        config.put("wharf.deploy.applications." + app + ".environments.staging.hosts[1].host-key", PIN);
        config.put("wharf.deploy.applications." + app + ".environments.staging.hosts[1].private-key-file", "/etc/wharf/key");
        config.put("wharf.deploy.applications." + app + ".environments.staging.hosts[0].port", "2223");
        startAndStop(config);
        assertThat(changes(app).subList(2, changes(app).size())).containsExactlyInAnyOrder(
                List.of("added", "staging", "127.0.0.1:2223", ""),
                List.of("added", "staging", "127.0.0.2:22", ""),
                List.of("removed", "staging", "127.0.0.1:2222", ""));
        assertThat(output.getOut()).contains("inventory: " + app + "/staging 127.0.0.1:2222 removed");
        assertThat(output.getAll()).doesNotContain("/etc/wharf/key");
    }

    @Test
    void replicasRecordingTogetherRecordEachChangeOnce() throws Exception {
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext service = start(Map.of())) {
            InventoryRecord record = service.getBean(InventoryRecord.class);
            Map<Key, Entry> wanted = new HashMap<>(InventoryEntries.of(service.getBean(DeployInventory.class)));
            wanted.put(new Key(app, "staging", "127.0.0.1:22"), Entry.of(Map.of("build", "x")));
            ExecutorService replicas = Executors.newFixedThreadPool(2);
            try {
                Callable<Integer> recording = () -> record.record(wanted);
                for (Future<Integer> done : replicas.invokeAll(List.of(recording, recording))) {
                    done.get();
                }
            } finally {
                replicas.shutdown();
            }
            assertThat(changes(app)).containsExactly(List.of("added", "staging", "127.0.0.1:22", ""));
        }
    }

    @Test
    void aMistakeStopsTheStartWithOneLineAndRecordsNothing(CapturedOutput output) {
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> config = application(app);
        config.put("wharf.deploy.applications." + app + ".restart.manager", "upstart");
        Throwable failure = catchThrowable(() -> start(config).close());
        Throwable cause = failure;
        while (cause != null && !(cause instanceof DeployInventory.InventoryException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("the start failed on the inventory: %s", failure).isNotNull();
        assertThat(cause.getMessage()).isEqualTo("inventory: application " + app + ": restart.manager 'upstart' is not one of systemd, supervisor, command")
                .doesNotContain("\n");
        assertThat(output.getAll()).as("reported as its reason, without a stack trace")
                .contains("Description:", cause.getMessage()).doesNotContain("Caused by:", "Application run failed");
        assertThat(entries(app)).isEmpty();
        assertThat(changes(app)).isEmpty();
    }

    private static final String PIN = "SHA256:qb2MXg/qU3vGmk/X5NP/TgnNuj89qkWN5QpQFEuHC0s";

    private static Map<String, Object> application(String app) {
        String prefix = "wharf.deploy.applications." + app + ".";
        Map<String, Object> config = new HashMap<>();
        config.put(prefix + "repository", "/home/deployer/app.git");
        config.put(prefix + "root", "/home/deployer/srv/" + app);
        config.put(prefix + "build", SECRET_BUILD);
        config.put(prefix + "restart.manager", "systemd");
        config.put(prefix + "restart.services", "web,worker");
        config.put(prefix + "environments.staging.ref", "main");
        config.put(prefix + "environments.staging.hosts[0].address", "127.0.0.1");
        config.put(prefix + "environments.staging.hosts[0].port", "2222");
        config.put(prefix + "environments.staging.hosts[0].user", "deployer");
        config.put(prefix + "environments.staging.hosts[0].host-key", PIN);
        config.put(prefix + "environments.staging.hosts[0].private-key-file", "/etc/wharf/key");
        return config;
    }

    private static ConfigurableApplicationContext start(Map<String, Object> config) {
        return SharedInfrastructure.startService(DeployApplication.class, DeployApplication.SERVICE_NAME, "deploy", config);
    }

    private static void startAndStop(Map<String, Object> config) {
        start(config).close();
    }

    private static JdbcTemplate jdbc() {
        Map<String, Object> properties = SharedInfrastructure.get().serviceProperties("deploy");
        return new JdbcTemplate(new DriverManagerDataSource(
                (String) properties.get("spring.datasource.url"), (String) properties.get("spring.datasource.username"),
                (String) properties.get("spring.datasource.password")));
    }

    private static List<List<String>> entries(String app) {
        return jdbc().query("select application, environment, host from inventory_entry where application = ? order by host",
                (rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)), app);
    }

    /** This application's changes, oldest first: change, environment, host, the settings that changed. */
    private static List<List<String>> changes(String app) {
        return jdbc().query("select change, environment, host, coalesce(settings, '') from inventory_change where application = ? order by id",
                (rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), app);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
