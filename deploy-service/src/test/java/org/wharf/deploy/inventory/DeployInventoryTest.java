package org.wharf.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ClassPathResource;
import org.wharf.deploy.ssh.SshHost;

/** The inventory binds from the issue's YAML as written, and each mistake is refused with where it is and the rule. */
class DeployInventoryTest {

    private static final String APP = "wharf.deploy.applications.catalogue.";
    private static final String HOST = APP + "environments.staging.hosts[0].";

    @Test
    void theIssuesExampleBinds() {
        DeployInventory inventory = bind(example());
        DeployInventory.Application catalogue = inventory.find("catalogue");
        assertThat(catalogue.getRepository()).isEqualTo("/home/deployer/app.git");
        assertThat(catalogue.getRoot()).isEqualTo("/home/deployer/srv/catalogue");
        assertThat(catalogue.getKeepReleases()).isEqualTo(5);
        assertThat(catalogue.getShared()).containsExactly(".env", "media/");
        assertThat(catalogue.getBuild()).isEqualTo("make build");
        assertThat(catalogue.getMigrate()).isEqualTo("./migrate.sh");
        assertThat(catalogue.getBackupBeforeMigrate()).isEqualTo("catalogue-db");
        assertThat(catalogue.getRestart().getManager()).isEqualTo("systemd");
        assertThat(catalogue.getRestart().getServices()).containsExactly("catalogue_gunicorn", "catalogue_celery");
        assertThat(catalogue.getHealth().getUrl()).isEqualTo("http://127.0.0.1:3579/datasets/");
        assertThat(catalogue.getHealth().getExpectStatus()).isEqualTo(200);
        assertThat(catalogue.getHealth().getRetries()).isEqualTo(10);
        assertThat(catalogue.getHealth().getInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(catalogue.getHealth().getFrom()).isEqualTo("host");
        assertThat(catalogue.getSerial()).containsExactly("1", "50%");
        assertThat(catalogue.getMaxFailPercentage()).isZero();
        DeployInventory.Environment staging = catalogue.getEnvironments().get("staging");
        assertThat(staging.getRef()).isEqualTo("main");
        assertThat(staging.getHosts()).hasSize(2);
        SshHost first = staging.getHosts().get(0).sshHost();
        assertThat(first.endpoint()).isEqualTo("127.0.0.1:2222");
        assertThat(first.user()).isEqualTo("deployer");
        assertThat(first.hostKeys()).hasToString("SHA256:qb2MXg/qU3vGmk/X5NP/TgnNuj89qkWN5QpQFEuHC0s");
        assertThat(first.privateKeyFile()).isEqualTo(Path.of("/etc/wharf/deploy_ed25519"));
        SshHost second = staging.getHosts().get(1).sshHost();
        assertThat(second.port()).as("the default port").isEqualTo(22);
        assertThat(second.hostKeys().pins()).hasSize(2);
    }

    @Test
    void aScalarSerialIsOneBatchSizeAndOptionalStepsMayBeLeftOut() {
        Map<String, Object> config = example();
        config.keySet().removeIf(key -> key.startsWith(APP + "serial") || key.startsWith(APP + "build")
                || key.startsWith(APP + "health.") || key.startsWith(APP + "restart.") || key.startsWith(APP + "backup-before-migrate"));
        config.put(APP + "serial", "1");
        DeployInventory.Application catalogue = bind(config).find("catalogue");
        assertThat(catalogue.getSerial()).containsExactly("1");
        assertThat(catalogue.getBuild()).isNull();
        assertThat(catalogue.getHealth().getUrl()).isNull();
        assertThat(catalogue.getRestart().getServices()).isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "restart.manager         | upstart        | inventory: application catalogue: restart.manager 'upstart' is not one of systemd, supervisor, command",
            "restart.services[0]     | a b            | inventory: application catalogue: restart service 'a b' is not 1 to 128 of A-Z, a-z, 0-9, '_', '.', '@', ':', '-' starting with a letter or digit",
            "restart.services[1]     | catalogue_gunicorn | inventory: application catalogue: restart service 'catalogue_gunicorn' is listed twice",
            "restart.command         | /bin/restart   | inventory: application catalogue: restart.command is only for restart.manager command",
            "root                    | srv/catalogue  | inventory: application catalogue: root 'srv/catalogue' must be an absolute path below / without '..'",
            "root                    | /srv/../etc    | inventory: application catalogue: root '/srv/../etc' must be an absolute path below / without '..'",
            "keep-releases           | 1              | inventory: application catalogue: keep-releases is 1; it must be at least 2 (the current release and the one before it are always kept)",
            "serial[1]               | 150%           | inventory: application catalogue: serial '150%' is neither a positive number of hosts nor a percentage from 1% to 100%",
            "serial[0]               | 0              | inventory: application catalogue: serial '0' is neither a positive number of hosts nor a percentage from 1% to 100%",
            "serial[0]               | -1             | inventory: application catalogue: serial '-1' is neither a positive number of hosts nor a percentage from 1% to 100%",
            "max-fail-percentage     | 101            | inventory: application catalogue: max-fail-percentage is 101; it must be from 0 to 100",
            "health.url              | file:///etc/passwd | inventory: application catalogue: health.url 'file:///etc/passwd' must be an http:// or https:// URL with a host",
            "health.url              | ftp://wharf:s3cret@example.org/ | inventory: application catalogue: health.url 'ftp://…@example.org/' must be an http:// or https:// URL with a host",
            "health.url              | http:///nohost | inventory: application catalogue: health.url 'http:///nohost' must be an http:// or https:// URL with a host",
            "health.url              | ftp://example.org/ | inventory: application catalogue: health.url 'ftp://example.org/' must be an http:// or https:// URL with a host",
            "health.expect-status    | 42             | inventory: application catalogue: health.expect-status 42 is not an HTTP status",
            "health.retries          | 0              | inventory: application catalogue: health.retries is 0; it must be at least 1",
            "health.from             | moon           | inventory: application catalogue: health.from 'moon' is not host (curl on the host) or wharf (from the deploy-service)",
            "shared[0]               | ../etc         | inventory: application catalogue: shared entry '../etc' must be a relative path within the release, without '.' or '..'",
            "shared[0]               | /etc/passwd    | inventory: application catalogue: shared entry '/etc/passwd' must be a relative path within the release, without '.' or '..'",
            "repository              | --upload-pack=touch | inventory: application catalogue: repository must not start with '-' nor hold control characters",
            "backup-before-migrate   | Catalogue DB   | inventory: application catalogue: backup-before-migrate 'Catalogue DB' is not a backup target name",
            "environments.staging.ref | main; rm -rf / | inventory: application catalogue, environment staging: ref 'main; rm -rf /' is not a valid git ref name: it contains ' '",
            "environments.staging.ref | --upload-pack=x | inventory: application catalogue, environment staging: ref '--upload-pack=x' is not a valid git ref name: it starts with '-' (git would read it as an option)",
            "environments.staging.hosts[0].port | 70000 | inventory: application catalogue, environment staging, host 127.0.0.1:70000: port 70000 is not a TCP port",
            "environments.staging.hosts[0].user | root; id | inventory: application catalogue, environment staging, host 127.0.0.1:2222: user is required (a POSIX user name)",
    })
    void eachMistakeIsRefusedNamingWhereAndTheRule(String key, String value, String reason) {
        Map<String, Object> config = example();
        config.put(APP + key, value);
        assertThatThrownBy(() -> bind(config)).isInstanceOf(DeployInventory.InventoryException.class).hasMessage(reason);
    }

    @Test
    void namesOutsideTheSafePatternAreRefused() {
        assertThatThrownBy(() -> bind(renamed("catalogue", "Catalogue App"))).hasMessage(
                "inventory: application Catalogue App: the name is not 1 to 63 of a-z, 0-9, '_', '.', '-' starting with a letter or digit");
        Map<String, Object> config = new LinkedHashMap<>();
        example().forEach((key, value) -> config.put(key.replace(".environments.staging.", ".environments[-staging].") , value));
        assertThatThrownBy(() -> bind(config)).hasMessage(
                "inventory: application catalogue, environment -staging: the name is not 1 to 63 of a-z, 0-9, '_', '.', '-' starting with a letter or digit");
    }

    @Test
    void aHostListedTwiceIsRefused() {
        Map<String, Object> config = example();
        config.put(APP + "environments.staging.hosts[1].address", "127.0.0.1");
        config.put(APP + "environments.staging.hosts[1].port", "2222");
        assertThatThrownBy(() -> bind(config)).hasMessage(
                "inventory: application catalogue, environment staging, host 127.0.0.1:2222: listed twice");
    }

    @Test
    void namesWithUnderscoresAndDotsBindInBrackets() {
        // Unbracketed, Spring drops '_' from a map key and splits it at '.': the README says to write "[my_app]".
        assertThat(bind(renamed("catalogue", "my_app.v2")).getApplications()).containsOnlyKeys("my_app.v2");
    }

    @Test
    void missingRequiredSettingsAreRefused() {
        assertThatThrownBy(() -> bind(without(APP + "repository"))).hasMessage(
                "inventory: application catalogue: repository is required (a git URL or path, as the host sees it)");
        assertThatThrownBy(() -> bind(without(APP + "root"))).hasMessage(
                "inventory: application catalogue: root is required (on the application, or on each of its hosts)");
        assertThatThrownBy(() -> bind(without(APP + "environments."))).hasMessage("inventory: application catalogue: no environments");
        assertThatThrownBy(() -> bind(without(HOST + "host-key"))).hasMessageStartingWith(
                "inventory: application catalogue, environment staging, host 127.0.0.1:2222: no host-key pinned");
        assertThatThrownBy(() -> bind(without(HOST + "private-key-file"))).hasMessage(
                "inventory: application catalogue, environment staging, host 127.0.0.1:2222: private-key-file is required (key authentication only)");
        assertThatThrownBy(() -> bind(without(APP + "restart.manager"))).hasMessage(
                "inventory: application catalogue: restart.manager is required with restart.services (one of systemd, supervisor, command)");
        assertThatThrownBy(() -> bind(without(APP + "migrate"))).hasMessage(
                "inventory: application catalogue: backup-before-migrate is set but there is no migrate command");
        Map<String, Object> command = example();
        command.put(APP + "restart.manager", "command");
        assertThatThrownBy(() -> bind(command)).hasMessage(
                "inventory: application catalogue: restart.manager command needs restart.command (the service's name is its last word)");
        command.put(APP + "restart.command", "sudo /usr/local/bin/restart");
        assertThat(bind(command).find("catalogue").getRestart().getCommand()).isEqualTo("sudo /usr/local/bin/restart");
    }

    @Test
    void aMalformedPinIsRefusedByHostKeyPinsNamingTheHost() {
        Map<String, Object> config = example();
        config.put(HOST + "host-key", "SHA1:abc");
        assertThatThrownBy(() -> bind(config)).hasMessage("inventory: application catalogue, environment staging, host 127.0.0.1:2222:"
                + " host-key 'SHA1:abc' is not a fingerprint; expected SHA256:<43 base64 characters> or MD5:<16 hex pairs>,"
                + " as 'ssh-keyscan -p PORT HOST | ssh-keygen -lf -' prints them");
    }

    /** The issue's example, flattened as Spring reads it. */
    static Map<String, Object> example() {
        try {
            Map<String, Object> flat = new LinkedHashMap<>();
            for (var source : new YamlPropertySourceLoader().load("example", new ClassPathResource("inventory/issue-example.yml"))) {
                EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
                for (String name : enumerable.getPropertyNames()) {
                    flat.put(name, String.valueOf(enumerable.getProperty(name)));
                }
            }
            return flat;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DeployInventory bind(Map<String, Object> config) {
        DeployInventory inventory = new Binder(new MapConfigurationPropertySource(config))
                .bind("wharf.deploy", Bindable.ofInstance(new DeployInventory())).get();
        inventory.afterPropertiesSet();
        return inventory;
    }

    private static Map<String, Object> without(String prefix) {
        Map<String, Object> config = example();
        config.keySet().removeIf(key -> key.startsWith(prefix));
        return config;
    }

    private static Map<String, Object> renamed(String from, String to) {
        Map<String, Object> config = new LinkedHashMap<>();
        example().forEach((key, value) -> config.put(key.replace("applications." + from + ".", "applications[" + to + "]."), value));
        return config;
    }
}
