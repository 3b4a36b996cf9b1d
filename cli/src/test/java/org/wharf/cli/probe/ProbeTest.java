package org.wharf.cli.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.local.sample.SampleDeploy;
import org.wharf.cli.support.CliRun;
import org.wharf.cli.support.LocalPlatform;
import org.wharf.cli.support.Connection;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.s3.S3Properties;

/**
 * The probes against the whole platform, through the {@code wharf} command, as Icinga runs them: each of
 * the four states with its exit status and its one status line.
 */
class ProbeTest {

    private static final String ORIGIN = "https://probe.example.org/probe";

    private static LocalPlatform platform;
    private static Path home;
    private static Path archive;
    private static Path metadata;
    private static String gitTree;

    @TempDir
    Path work;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = LocalPlatform.start();
        home = platform.home();
        CliRun client = CliRun.wharf(home, "client", "create", "--username", "probe", "--collection", "probe",
                "--provider-url", "https://probe.example.org/");
        assertThat(client.status()).as(client.err()).isZero();

        Path files = Files.createTempDirectory("wharf-probe-files-");
        Path tree = Files.createDirectories(files.resolve("tree/src"));
        Files.writeString(tree.resolve("main.c"), "int main(void) { return 0; }\n");
        Files.writeString(tree.getParent().resolve("README"), "The probe's deposit.\n");
        archive = files.resolve("probe.tar.gz");
        run(tree.getParent(), "tar", "-czf", archive.toString(), "README", "src");
        metadata = Files.writeString(files.resolve("metadata.xml"), """
                <?xml version="1.0"?>
                <entry xmlns="http://www.w3.org/2005/Atom"><title>Probe</title><author><name>Icinga</name></author></entry>
                """);
        Path gitHome = Files.createTempDirectory("git-home-");
        run(tree.getParent(), Map.of("HOME", gitHome.toString(), "GIT_CONFIG_NOSYSTEM", "1"), "git", "init", "-q");
        run(tree.getParent(), Map.of("HOME", gitHome.toString(), "GIT_CONFIG_NOSYSTEM", "1"), "git", "add", "-A");
        gitTree = run(tree.getParent(), Map.of("HOME", gitHome.toString(), "GIT_CONFIG_NOSYSTEM", "1"), "git", "write-tree").strip();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void aDepositDoneInTimeWithTheArchivesTreeIsOk() {
        CliRun probe = CliRun.wharf(home, "probe", "deposit", "--archive", archive.toString(), "--metadata", metadata.toString(),
                "--origin", ORIGIN);
        assertThat(probe.status()).as(probe.out() + probe.err()).isZero();
        assertThat(probe.out().strip()).matches("DEPOSIT OK - done in \\d+\\.\\d s, swh:1:dir:" + gitTree
                + " \\| total=\\d+\\.\\d{3}s;120;3600");
        assertThat(probe.out().strip()).doesNotContain("\n");
    }

    @Test
    void aDepositSlowerThanTheWarningIsWarning() {
        CliRun probe = CliRun.wharf(home, "probe", "deposit", "--archive", archive.toString(), "--metadata", metadata.toString(),
                "--origin", ORIGIN, "--warning", "0.001", "--critical", "600");
        assertThat(probe.status()).as(probe.out() + probe.err()).isEqualTo(1);
        assertThat(probe.out().strip()).matches("DEPOSIT WARNING - done in \\d+\\.\\d s, swh:1:dir:" + gitTree
                + " \\| total=\\d+\\.\\d{3}s;0\\.001;600");
    }

    @Test
    void aRejectedDepositIsCriticalWithItsReason() {
        String stranger = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun probe = CliRun.wharf(home, "probe", "deposit", "--archive", archive.toString(), "--metadata", metadata.toString(),
                "--origin", ORIGIN, "--client", stranger, "--collection", "probe");
        assertThat(probe.status()).as(probe.out() + probe.err()).isEqualTo(2);
        assertThat(probe.out().strip()).matches("DEPOSIT CRITICAL - deposit [0-9a-f-]{36} rejected: client: unknown client "
                + stranger + " \\(client\\) \\| total=.*");
    }

    @Test
    void noBrokerIsUnknownAndSoIsAUsageError() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path nowhere = Files.createDirectories(work.resolve("nowhere"));
        S3Properties s3 = new S3Properties();
        s3.setEndpoint(URI.create("http://127.0.0.1:" + closed));
        s3.setAccessKey("x");
        s3.setSecretKey("y");
        new Connection("127.0.0.1:" + closed, s3, LocalInfrastructure.DEPOSITS_BUCKET).write(nowhere);
        CliRun probe = CliRun.wharf(nowhere, "probe", "deposit", "--archive", archive.toString(), "--metadata", metadata.toString());
        assertThat(probe.status()).isEqualTo(3);
        assertThat(probe.out().strip()).isEqualTo("DEPOSIT UNKNOWN - cannot reach the broker at 127.0.0.1:" + closed + " within 5 s");
        assertThat(probe.err()).doesNotContain("Exception");
        assertThat(CliRun.wharf(nowhere, "probe", "backup", "sample").status()).isEqualTo(3);

        CliRun usage = CliRun.wharf(home, "probe", "deposit", "--archive", archive.toString());
        assertThat(usage.status()).isEqualTo(3);
        assertThat(usage.out().strip()).isEqualTo("DEPOSIT UNKNOWN - Missing required option: '--metadata=<metadata>'");
        CliRun notAnArchive = CliRun.wharf(home, "probe", "deposit", "--archive", metadata.toString(), "--metadata", metadata.toString());
        assertThat(notAnArchive.status()).isEqualTo(3);
        assertThat(notAnArchive.out().strip()).isEqualTo("DEPOSIT UNKNOWN - --archive " + metadata + ": archive type not supported");
    }

    @Test
    void aBackupNewerThanTheMaximumAgeIsOkAnOlderOneCritical() throws InterruptedException {
        CliRun backup = CliRun.wharf(home, "backup", "run", "sample", "--wait");
        assertThat(backup.status()).as(backup.err()).isZero();
        CliRun fresh = CliRun.wharf(home, "probe", "backup", "sample");
        assertThat(fresh.status()).as(fresh.out() + fresh.err()).isZero();
        assertThat(fresh.out().strip()).matches("BACKUP OK - sample: newest backup \\d+s old, not verified yet \\(backup/sample/.*\\) "
                + "\\| age=\\d+s;;93600");
        Thread.sleep(2100);
        CliRun old = CliRun.wharf(home, "probe", "backup", "sample", "--max-age", "2s");
        assertThat(old.status()).as(old.out() + old.err()).isEqualTo(2);
        assertThat(old.out().strip()).matches("BACKUP CRITICAL - sample: newest backup \\d+s old, .* older than 2s \\| age=\\d+s;;2");
        CliRun none = CliRun.wharf(home, "probe", "backup", "no-such-target");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.out().strip()).isEqualTo("BACKUP CRITICAL - no-such-target: no completed backup");
    }

    @Test
    void aFailedDeployIsCriticalUntilADeployCompletes() {
        CliRun failed = CliRun.wharf(home, "deploy", "run", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT,
                "--ref", "no-such-branch", "--wait", "--timeout", "2m");
        assertThat(failed.status()).as(failed.out() + failed.err()).isEqualTo(1);
        CliRun critical = CliRun.wharf(home, "probe", "deploy", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT);
        assertThat(critical.status()).as(critical.out() + critical.err()).isEqualTo(2);
        assertThat(critical.out().strip()).startsWith("DEPLOY CRITICAL - sample/staging: deploy ").contains(" failed: ");

        CliRun deployed = CliRun.wharf(home, "deploy", "run", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT, "--wait", "--timeout", "2m");
        assertThat(deployed.status()).as(deployed.out() + deployed.err()).isZero();
        CliRun ok = CliRun.wharf(home, "probe", "deploy", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT);
        assertThat(ok.status()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out().strip()).matches("DEPLOY OK - sample/staging: deploy of release \\S+ completed in \\d+\\.\\d s "
                + "\\| duration=\\d+\\.\\d{3}s;;");

        CliRun never = CliRun.wharf(home, "probe", "deploy", "never-deployed", "prod");
        assertThat(never.status()).isEqualTo(3);
        assertThat(never.out().strip()).isEqualTo("DEPLOY UNKNOWN - never-deployed/prod: never deployed");
    }

    private static String run(Path dir, String... command) throws Exception {
        return run(dir, Map.of(), command);
    }

    private static String run(Path dir, Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
