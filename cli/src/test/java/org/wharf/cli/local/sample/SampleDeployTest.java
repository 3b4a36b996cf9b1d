package org.wharf.cli.local.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.infra.LocalSshHost;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.deploy.DeployApplication;
import org.wharf.deploy.health.HealthCheck;
import org.wharf.deploy.health.HealthSpec;
import org.wharf.deploy.inventory.DeployInventory;
import org.wharf.deploy.release.ReleaseFolders;
import org.wharf.deploy.restart.RestartCommands;
import org.wharf.deploy.ssh.CommandResult;
import org.wharf.deploy.ssh.SshFailure;
import org.wharf.deploy.ssh.SshHost;
import org.wharf.deploy.ssh.SshOptions;
import org.wharf.deploy.ssh.SshSession;

/**
 * The local stack's sample deploy with real git, a real SSH server (MINA, in this JVM) and the deploy-service's
 * own SSH client, inventory and steps: what {@code wharf deploy run sample staging} will find after
 * {@code wharf local up}.
 */
class SampleDeployTest {

    private static final Duration STEP = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void theRepositoryHasOneReproducibleCommitWithTheScriptsExecutable() {
        Path repository = SampleRepository.prepare(work.resolve("a/sample.git"));
        Path another = SampleRepository.prepare(work.resolve("b/sample.git"));

        String commit = git(repository, "rev-parse", "main");
        assertThat(git(another, "rev-parse", "main")).isEqualTo(commit);
        assertThat(git(repository, "rev-list", "--count", "main")).isEqualTo("1");
        assertThat(git(repository, "log", "-1", "--format=%an <%ae> %aI", "main")).isEqualTo("Wharf sample <sample@wharf.invalid> 2026-01-01T00:00:00+00:00");
        assertThat(git(repository, "ls-tree", "-r", "--format=%(objectmode) %(path)", "main").lines().toList()).containsExactlyInAnyOrder(
                "100755 bin/build", "100755 bin/migrate", "100755 bin/restart", "100644 public/health", "100644 public/index.html");
        assertThat(git(repository, "show", "main:public/health")).isEqualTo("ok");
    }

    @Test
    void anExistingRepositoryIsReusedAsItIs() throws IOException {
        Path repository = SampleRepository.prepare(work.resolve("sample.git"));
        Path marker = Files.writeString(repository.resolve("description"), "kept\n");

        assertThat(SampleRepository.prepare(repository)).isEqualTo(repository);

        assertThat(marker).hasContent("kept");
        try (var entries = Files.list(work)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("sample.git");
        }
    }

    @Test
    void theSiteServesTheLiveReleaseAfterEachSwitchAnd503WithoutOne() throws Exception {
        Path root = Files.createDirectories(work.resolve("srv/sample"));
        Files.createDirectories(root.resolve("shared"));
        Files.writeString(root.resolve("shared/.env"), "SECRET=1\n");
        for (String release : List.of("r1", "r2")) {
            Files.createDirectories(root.resolve("releases/" + release + "/public"));
            Files.writeString(root.resolve("releases/" + release + "/public/health"), "ok from " + release + "\n");
        }
        try (SampleSite site = SampleSite.start(root, 0)) {
            assertThat(get(site, "health").statusCode()).isEqualTo(503);

            shell(root, "ln -s releases/r1 current");
            HttpResponse<String> first = get(site, "health");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("ok from r1\n");

            shell(root, "ln -s releases/r2 current.new && mv -T current.new current");
            assertThat(get(site, "health").body()).isEqualTo("ok from r2\n");
            assertThat(get(site, "missing").statusCode()).isEqualTo(404);
            assertThat(get(site, "%2e%2e/%2e%2e/shared/.env").statusCode()).isEqualTo(404);
            assertThat(get(site, "").statusCode()).isEqualTo(404);

            shell(root, "rm current");
            assertThat(get(site, "health").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void theDeployServiceStartsWithTheSampleInItsInventory() {
        try (SampleDeploy sample = SampleDeploy.start(work, 0);
             ConfigurableApplicationContext deploy = SharedInfrastructure.startService(DeployApplication.class,
                     DeployApplication.SERVICE_NAME, "deploy", sample.inventoryProperties())) {
            DeployInventory.Application application = deploy.getBean(DeployInventory.class).find("sample");

            assertThat(application).isNotNull();
            assertThat(application.getRepository()).isEqualTo(sample.repository().toString());
            assertThat(application.getShared()).containsExactly(".env");
            assertThat(application.getRestart().getServices()).containsExactly("web");
            assertThat(application.getHealth().getUrl()).isEqualTo(sample.healthUrl());
            DeployInventory.Host host = application.getEnvironments().get("staging").getHosts().get(0);
            assertThat(host.endpoint()).isEqualTo("127.0.0.1:" + sample.ssh().port());
            assertThat(host.getHostKey()).containsExactly(sample.ssh().sha256Fingerprint());
            assertThat(host.getPrivateKeyFile()).isEqualTo(sample.ssh().privateKeyFile());
        }
    }

    @Test
    void theInventorysStepsDeployTheSampleOverSshAndTheSiteServesIt() throws Exception {
        try (SampleDeploy sample = SampleDeploy.start(work, 0)) {
            DeployInventory.Application app = inventory(sample);
            SshHost host = app.getEnvironments().get("staging").getHosts().get(0).sshHost();
            assertThat(get(sample.site(), "health").statusCode()).isEqualTo(503);

            try (SshSession session = SshSession.open(host, SshOptions.DEFAULTS)) {
                ReleaseFolders folders = new ReleaseFolders(session, app.getRoot(), STEP);
                String release = "20260102030405";
                String commit = folders.fetch(release, app.getRepository(), app.getEnvironments().get("staging").getRef());
                folders.linkShared(release, app.getShared());
                String dir = app.getRoot() + "/releases/" + release;
                assertSucceeded(session.run("cd '" + dir + "' && " + app.getBuild(), STEP));
                assertSucceeded(session.run("cd '" + dir + "' && " + app.getMigrate(), STEP));
                folders.switchTo(release);
                for (RestartCommands.Restart restart : RestartCommands.of(app.getRestart(), app.getRestart().getServices())) {
                    assertSucceeded(session.run(restart.command(), STEP));
                }
                HealthCheck.Result health = HealthCheck.onHost(session, HealthSpec.of(app.getHealth()), HealthCheck.Pause.SLEEP);

                assertThat(health.healthy()).as(health.reason()).isTrue();
                assertThat(commit).isEqualTo(git(sample.repository(), "rev-parse", "main"));
                assertThat(get(sample.site(), "version").body()).isEqualTo(commit + "\nhello from the shared .env of the sample application\n");
                assertThat(sample.root().resolve("shared/migrations.log")).content().contains("migrated for " + release);
                assertThat(sample.root().resolve("restarted-web")).content().contains(release);
            }
        }
    }

    @Test
    void theSampleHostRefusesAnotherKeyBeforeAnythingRuns() throws Exception {
        try (SampleDeploy sample = SampleDeploy.start(work, 0)) {
            SshHost pinned = inventory(sample).getEnvironments().get("staging").getHosts().get(0).sshHost();
            Path otherKey = work.resolve("other_key");
            LocalSshHost.writePrivateKey(LocalSshHost.newKeyPair(), "other", otherKey);
            SshHost withOtherKey = new SshHost(pinned.address(), pinned.port(), pinned.user(), pinned.hostKeys(), otherKey);

            assertThatThrownBy(() -> SshSession.open(withOtherKey, SshOptions.DEFAULTS).close())
                    .isInstanceOfSatisfying(SshFailure.class, e -> assertThat(e.kind()).isEqualTo(SshFailure.Kind.AUTH_REJECTED));
            assertThat(sample.ssh().authentications()).isPositive();
            assertThat(sample.root().resolve("releases")).doesNotExist();
        }
    }

    @Test
    void aRestartedSampleKeepsItsHostKeyClientKeyAndRepository() throws Exception {
        String fingerprint;
        byte[] clientKey;
        String commit;
        try (SampleDeploy first = SampleDeploy.start(work, 0)) {
            fingerprint = first.ssh().sha256Fingerprint();
            clientKey = Files.readAllBytes(first.ssh().privateKeyFile());
            commit = git(first.repository(), "rev-parse", "main");
            Files.writeString(first.root().resolve("shared/.env"), "GREETING=edited\n");
        }
        try (SampleDeploy second = SampleDeploy.start(work, 0)) {
            assertThat(second.ssh().sha256Fingerprint()).isEqualTo(fingerprint);
            assertThat(second.ssh().privateKeyFile()).hasBinaryContent(clientKey);
            assertThat(git(second.repository(), "rev-parse", "main")).isEqualTo(commit);
            assertThat(second.root().resolve("shared/.env")).hasContent("GREETING=edited");
            try (SshSession session = SshSession.open(inventory(second).getEnvironments().get("staging").getHosts().get(0).sshHost(),
                    SshOptions.DEFAULTS)) {
                assertSucceeded(session.run("true", STEP));
            }
        }
    }

    // The inventory as the deploy-service binds and checks it.
    private static DeployInventory inventoryOf(SampleDeploy sample) {
        DeployInventory inventory = new Binder(
                new MapConfigurationPropertySource(sample.inventoryProperties()))
                .bind("wharf.deploy", DeployInventory.class).get();
        inventory.validate();
        return inventory;
    }

    private static DeployInventory.Application inventory(SampleDeploy sample) {
        return inventoryOf(sample).find(SampleDeploy.APPLICATION);
    }

    private static void assertSucceeded(CommandResult result) {
        assertThat(result.succeeded()).as(result.outcome() + ": " + result.outputTail()).isTrue();
    }

    private HttpResponse<String> get(SampleSite site, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(site.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String git(Path repository, String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = "--git-dir=" + repository;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return SampleRepository.git(repository, all).strip();
    }

    private static void shell(Path folder, String command) throws Exception {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).directory(folder.toFile()).inheritIO().start();
        assertThat(process.waitFor()).isZero();
    }
}
