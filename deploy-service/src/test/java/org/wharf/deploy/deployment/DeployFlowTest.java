package org.wharf.deploy.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.deploy.deployment.DeployFlowSupport.key;
import static org.wharf.deploy.deployment.DeployFlowSupport.read;
import static org.wharf.deploy.testsupport.DeployRig.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.deploy.DeployPlanned;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.DeployUnlocked;
import org.wharf.common.message.deploy.PlannedStep;
import org.wharf.common.message.deploy.Rollback;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.message.deploy.UnlockDeploy;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.deploy.DeployApplication;
import org.wharf.deploy.testsupport.DeployRig;
import org.wharf.deploy.testsupport.SshTestHost;

/**
 * Deployments end to end through Kafka: a Deploy sent to the real broker, carried out by the deploy-service
 * over real SSH (MINA SSHD running /bin/sh) with real git, its steps and end read back as events, and the
 * hosts' folders looked at. Each test has an application of its own (its lock, release log and roots).
 */
class DeployFlowTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final DeployFlowSupport flow = new DeployFlowSupport(kafka);
    private static DeployRig rig;
    private static SshTestHost a;
    private static SshTestHost b;
    private static SshTestHost c;
    private static SshTestHost elsewhere;
    private static ConfigurableApplicationContext service;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        rig = DeployRig.start();
        a = SshTestHost.start();
        b = SshTestHost.start();
        c = SshTestHost.start();
        elsewhere = SshTestHost.start();
        Map<String, Object> properties = new HashMap<>();
        properties.putAll(rig.application("shop", List.of(a, b), Map.of()));
        properties.putAll(rig.application("lean", List.of(a), Map.of()));
        properties.putAll(rig.application("migr", List.of(a), Map.of()));
        properties.putAll(rig.application("sick", List.of(a), Map.of()));
        properties.putAll(rig.application("pinned", List.of(a), Map.of(
                "environments.staging.hosts[0].host-key", elsewhere.sha256Fingerprint())));
        properties.putAll(rig.application("refs", List.of(a), Map.of()));
        properties.putAll(rig.application("busy", List.of(a), Map.of()));
        properties.putAll(rig.application("guarded", List.of(a), Map.of("backup-before-migrate", "catalogue-db")));
        properties.putAll(rig.application("fleet", List.of(a, b, c), Map.of("serial[0]", "1", "max-fail-percentage", 0)));
        properties.putAll(rig.application("herd", List.of(a, b), Map.of("serial[0]", "100%", "max-fail-percentage", 50)));
        properties.putAll(rig.application("history", List.of(a, b), Map.of("keep-releases", 5)));
        properties.putAll(rig.application("pruned", List.of(a), Map.of("keep-releases", 2)));
        properties.putAll(rig.application("redelivered", List.of(a), Map.of()));
        service = SharedInfrastructure.startService(DeployApplication.class, DeployApplication.SERVICE_NAME, "deploy", properties);
        jdbc = service.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        List.of(a, b, c, elsewhere).forEach(SshTestHost::close);
        rig.close();
    }

    @Test
    void aDeployToTwoHostsFetchesLinksBuildsMigratesOnceSwitchesRestartsAndChecksHealth() throws IOException {
        Envelope command = flow.deploy("shop");
        DeployStarted started = flow.await(command, Messages.DEPLOY_STARTED);
        DeployCompleted done = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(command));

        String release = started.release();
        assertThat(done.release()).isEqualTo(release);
        assertThat(done.commit()).isEqualTo(rig.head());
        assertThat(done.hosts()).hasSize(2);
        assertThat(done.failedHosts()).isEmpty();
        for (SshTestHost host : List.of(a, b)) {
            Path root = root(host, "shop");
            assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/" + release));
            assertThat(Files.isSymbolicLink(root.resolve("releases/" + release + "/.env"))).isTrue();
            assertThat(root.resolve("releases/" + release + "/BUILT")).hasContent("built " + release);
            assertThat(Files.readAllLines(root.resolve("migrations.log"))).as("the migration ran once").containsExactly(release);
            assertThat(Files.readAllLines(root.resolve("restarts.log"))).containsExactly("web " + release, "worker " + release);
            assertThat(DeployRig.git(root.resolve("current"), "rev-parse", "HEAD").strip()).isEqualTo(rig.head());
        }
        List<StepFinished> steps = flow.steps(command);
        assertThat(steps).allMatch(StepFinished::succeeded);
        assertThat(steps.stream().filter(s -> s.host().endsWith(":" + a.port())).map(StepFinished::step)).containsExactly(
                "connect", "fetch", "link-shared", "build", "migrate", "switch", "restart", "restart", "health", "prune");
        StepFinished migrate = steps.stream().filter(s -> s.step().equals("migrate")).findFirst().orElseThrow();
        assertThat(migrate.exitStatus()).isZero();
        assertThat(migrate.outputTail()).contains("migrated");
        assertThat(jdbc.queryForObject("select status from deployment where id = ?", String.class, command.id())).isEqualTo("completed");
        assertThat(jdbc.queryForList("select 1 from deploy_lock where application = 'shop'")).as("the lock is released").isEmpty();
    }

    @Test
    void skipBuildLeavesTheBuildOutAndNoRestartSparesTheNamedService() throws IOException {
        Envelope command = flow.deploy(new Deploy("lean", DeployRig.ENVIRONMENT, null, true, List.of("worker"), false));
        DeployCompleted done = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(command));

        Path root = root(a, "lean");
        assertThat(root.resolve("releases/" + done.release() + "/BUILT")).doesNotExist();
        assertThat(Files.readAllLines(root.resolve("restarts.log"))).containsExactly("web " + done.release());
        assertThat(flow.steps(command).stream().map(StepFinished::step)).doesNotContain("build").contains("restart");
    }

    @Test
    void aFailingMigrationLeavesTheOldReleaseLiveAndCurrentUnchanged() throws IOException {
        DeployCompleted first = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("migr")));
        Path root = root(a, "migr");
        Files.writeString(root.resolve("fail-migrate"), "");

        Envelope command = flow.deploy("migr");
        DeployFailed failed = read(Messages.DEPLOY_FAILED, flow.awaitEnd(command));
        String second = flow.await(command, Messages.DEPLOY_STARTED).release();

        assertThat(failed.step()).isEqualTo("migrate");
        assertThat(failed.host()).endsWith(":" + a.port());
        assertThat(failed.reason()).contains("exit 3").contains("migration 0042 failed");
        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/" + first.release()));
        assertThat(root.resolve("releases/" + second)).as("the failed release is removed").doesNotExist();
        assertThat(Files.readAllLines(root.resolve("restarts.log"))).as("nothing restarted")
                .containsExactly("web " + first.release(), "worker " + first.release());
        StepFinished migrate = flow.steps(command).stream().filter(s -> s.step().equals("migrate")).findFirst().orElseThrow();
        assertThat(migrate.succeeded()).isFalse();
        assertThat(migrate.exitStatus()).isEqualTo(3);
        assertThat(migrate.outputTail()).contains("DATABASE_PASSWORD=***").doesNotContain("hunter2");
        assertThat(flow.events(command)).noneMatch(e -> new String(e.data()).contains("hunter2"));
    }

    @Test
    void aFailingHealthCheckSwitchesBackRestartsAndMarksTheReleaseBad() throws IOException {
        DeployCompleted good = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("sick")));
        rig.health("sick", 503);
        Envelope command = flow.deploy("sick");
        RolledBack rolledBack = read(Messages.ROLLED_BACK, flow.awaitEnd(command));
        rig.health("sick", 200);

        String bad = rolledBack.fromRelease();
        assertThat(rolledBack.requested()).isFalse();
        assertThat(rolledBack.toRelease()).isEqualTo(good.release());
        assertThat(rolledBack.step()).isEqualTo("health");
        assertThat(rolledBack.reason()).contains("answered 503, expected 200");
        Path root = root(a, "sick");
        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/" + good.release()));
        assertThat(root.resolve("releases/" + bad + "/.wharf-bad")).exists();
        assertThat(Files.readAllLines(root.resolve("restarts.log"))).containsExactly(
                "web " + good.release(), "worker " + good.release(), "web " + bad, "worker " + bad,
                "web " + good.release(), "worker " + good.release());
        assertThat(jdbc.queryForObject("select status from release where application = 'sick' and name = ?", String.class, bad))
                .isEqualTo("bad");

        Envelope rollback = kafka.send(Messages.ROLLBACK, key("sick"), new Rollback("sick", DeployRig.ENVIRONMENT, bad));
        CommandRejected refused = read(Messages.DEPLOY_COMMAND_REJECTED, flow.awaitEnd(rollback));
        assertThat(refused.reason()).isEqualTo("release " + bad + " of sick/staging is marked bad: " + rolledBack.reason());
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeAnyCommandWithBothFingerprints() {
        int authentications = a.authentications();
        Envelope command = flow.deploy("pinned");
        DeployFailed failed = read(Messages.DEPLOY_FAILED, flow.awaitEnd(command));

        assertThat(failed.step()).isEqualTo("connect");
        assertThat(failed.reason()).contains(a.sha256Fingerprint()).contains(elsewhere.sha256Fingerprint());
        assertThat(a.authentications()).as("no key offered, no command run").isEqualTo(authentications);
        assertThat(root(a, "pinned").resolve("releases")).doesNotExist();
    }

    @Test
    void injectionRefsAndUnknownNamesAreRefusedBeforeConnecting() {
        int connections = a.connections();
        for (String ref : List.of("main; rm -rf /", "$(id)", "--upload-pack=touch /tmp/wharf-pwned", "a b", "main\nid")) {
            Envelope command = flow.deploy(new Deploy("refs", DeployRig.ENVIRONMENT, ref, false, List.of(), false));
            CommandRejected refused = read(Messages.DEPLOY_COMMAND_REJECTED, flow.awaitEnd(command));
            assertThat(refused.reason()).as(ref).contains("is not a valid git ref name");
        }
        CommandRejected service = read(Messages.DEPLOY_COMMAND_REJECTED, flow.awaitEnd(
                flow.deploy(new Deploy("refs", DeployRig.ENVIRONMENT, null, false, List.of("postgres"), false))));
        assertThat(service.reason()).isEqualTo("service 'postgres' is not a restart service of refs (web, worker)");
        CommandRejected application = read(Messages.DEPLOY_COMMAND_REJECTED, flow.awaitEnd(
                flow.deploy(new Deploy("nowhere", DeployRig.ENVIRONMENT, null, false, List.of(), false))));
        assertThat(application.reason()).startsWith("no application named 'nowhere' in the inventory (known: busy, fleet,");
        assertThat(a.connections()).as("nothing connected").isEqualTo(connections);
        assertThat(root(a, "refs").resolve("releases")).doesNotExist();
    }

    @Test
    void aDryRunAnswersThePlanWithoutConnecting() {
        int connections = a.connections() + b.connections();
        Envelope command = flow.deploy(new Deploy("shop", DeployRig.ENVIRONMENT, "main", false, List.of("worker"), true));
        DeployPlanned plan = read(Messages.DEPLOY_PLANNED, flow.awaitEnd(command));

        assertThat(plan.batches()).hasSize(1);
        assertThat(plan.batches().get(0)).containsExactly("deployer@127.0.0.1:" + a.port(), "deployer@127.0.0.1:" + b.port());
        assertThat(plan.steps().stream().map(PlannedStep::step)).containsExactly(
                "connect", "fetch", "link-shared", "build", "migrate", "switch", "restart", "health", "prune");
        assertThat(plan.steps().stream().filter(s -> s.step().equals("migrate")).findFirst().orElseThrow().command())
                .endsWith("&& sh bin/migrate");
        assertThat(plan.restart()).containsExactly("web");
        assertThat(a.connections() + b.connections()).isEqualTo(connections);
    }

    @Test
    void aSecondDeployWhileOneRunsIsRefusedWithTheHolderNamedAndAnOperatorCanUnlock() throws IOException {
        Path root = root(a, "busy");
        Files.writeString(root.resolve("slow-migrate"), "3");
        Envelope first = flow.deploy("busy");
        flow.await(first, Messages.DEPLOY_STARTED);
        Envelope second = flow.deploy("busy");
        CommandRejected refused = read(Messages.DEPLOY_COMMAND_REJECTED, flow.awaitEnd(second));
        assertThat(refused.reason()).startsWith("busy/staging is locked: held by test since ")
                .contains("for deploy main (deployment " + first.id() + ")");
        read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(first));
        Files.delete(root.resolve("slow-migrate"));

        Files.writeString(root.resolve("slow-migrate"), "3");
        Envelope third = flow.deploy("busy");
        flow.await(third, Messages.DEPLOY_STARTED);
        Envelope unlock = kafka.send(Messages.UNLOCK_DEPLOY, key("busy"), new UnlockDeploy("busy", DeployRig.ENVIRONMENT, "stuck since lunch"));
        DeployUnlocked unlocked = read(Messages.DEPLOY_UNLOCKED, flow.awaitEnd(unlock));
        assertThat(unlocked.heldBy()).isEqualTo("test");
        assertThat(unlocked.deploymentId()).isEqualTo(third.id());
        assertThat(jdbc.queryForObject("select by_whom || ': ' || note from deploy_lock_event where event = 'unlocked' "
                + "and application = 'busy'", String.class)).isEqualTo("test: stuck since lunch");
        read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(third));
        Files.delete(root.resolve("slow-migrate"));
    }

    @Test
    void theBackupBeforeTheMigrationIsAwaitedAndAFailedOneStopsTheDeployBeforeTheMigration() throws IOException {
        Path root = root(a, "guarded");
        Envelope command = flow.deploy("guarded");
        Envelope runBackup = awaitRunBackup(command);
        assertThat(Messages.RUN_BACKUP.read(runBackup)).isEqualTo(new RunBackup("catalogue-db"));
        assertThat(runBackup.correlationId()).isEqualTo(command.correlationId());
        sleep(Duration.ofSeconds(1));
        assertThat(root.resolve("migrations.log")).as("no migration before the backup completed").doesNotExist();
        answer(runBackup, Messages.BACKUP_COMPLETED, new BackupCompleted("catalogue-db", "b-1", "wharf-backups",
                "backup/catalogue-db/x.dump", 10, "0".repeat(64), 5, "pg_dump"));
        DeployCompleted done = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(command));
        assertThat(Files.readAllLines(root.resolve("migrations.log"))).containsExactly(done.release());

        Envelope second = flow.deploy("guarded");
        answer(awaitRunBackup(second), Messages.BACKUP_FAILED, new BackupFailed("catalogue-db", "b-2", "pg_dump: connection refused"));
        DeployFailed failed = read(Messages.DEPLOY_FAILED, flow.awaitEnd(second));
        assertThat(failed.step()).isEqualTo("backup");
        assertThat(failed.reason()).isEqualTo("backup of catalogue-db before the migration failed: pg_dump: connection refused");
        assertThat(Files.readAllLines(root.resolve("migrations.log"))).as("the migration did not run").containsExactly(done.release());
        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/" + done.release()));
    }

    @Test
    void aBatchFailingBeyondMaxFailStopsTheRolloutAndPutsEarlierBatchesBack() throws IOException {
        DeployCompleted good = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("fleet")));
        Files.writeString(root(b, "fleet").resolve("fail-migrate"), "");
        Envelope command = flow.deploy("fleet");
        String release = flow.await(command, Messages.DEPLOY_STARTED).release();
        RolledBack rolledBack = read(Messages.ROLLED_BACK, flow.awaitEnd(command));

        assertThat(rolledBack.fromRelease()).isEqualTo(release);
        assertThat(rolledBack.toRelease()).isEqualTo(good.release());
        assertThat(rolledBack.hosts()).containsExactly("deployer@127.0.0.1:" + a.port());
        assertThat(rolledBack.host()).isEqualTo("deployer@127.0.0.1:" + b.port());
        for (SshTestHost host : List.of(a, b, c)) {
            assertThat(Files.readSymbolicLink(root(host, "fleet").resolve("current"))).isEqualTo(Path.of("releases/" + good.release()));
        }
        assertThat(root(c, "fleet").resolve("releases/" + release)).as("the third batch never started").doesNotExist();
        assertThat(flow.steps(command)).noneMatch(s -> s.host().endsWith(":" + c.port()));
    }

    @Test
    void failuresWithinMaxFailLetTheDeployCompleteOnTheOtherHosts() throws IOException {
        Files.writeString(root(b, "herd").resolve("fail-migrate"), "");
        DeployCompleted done = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("herd")));

        assertThat(done.hosts()).containsExactly("deployer@127.0.0.1:" + a.port());
        assertThat(done.failedHosts()).containsOnlyKeys("deployer@127.0.0.1:" + b.port());
        assertThat(root(b, "herd").resolve("current")).doesNotExist();
        assertThat(Files.readSymbolicLink(root(a, "herd").resolve("current"))).isEqualTo(Path.of("releases/" + done.release()));
    }

    @Test
    void aRollbackToANamedReleaseSwitchesEveryHostBackAndRestarts() throws IOException {
        DeployCompleted first = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("history")));
        rig.newCommit("history-2");
        DeployCompleted second = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("history")));
        assertThat(second.commit()).isNotEqualTo(first.commit());

        Envelope command = kafka.send(Messages.ROLLBACK, key("history"), new Rollback("history", DeployRig.ENVIRONMENT, first.release()));
        RolledBack rolledBack = read(Messages.ROLLED_BACK, flow.awaitEnd(command));

        assertThat(rolledBack.requested()).isTrue();
        assertThat(rolledBack.fromRelease()).isEqualTo(second.release());
        assertThat(rolledBack.toRelease()).isEqualTo(first.release());
        for (SshTestHost host : List.of(a, b)) {
            Path root = root(host, "history");
            assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/" + first.release()));
            List<String> restarts = Files.readAllLines(root.resolve("restarts.log"));
            assertThat(restarts.subList(restarts.size() - 2, restarts.size()))
                    .containsExactly("web " + first.release(), "worker " + first.release());
        }
        CommandRejected again = read(Messages.DEPLOY_COMMAND_REJECTED, flow.awaitEnd(
                kafka.send(Messages.ROLLBACK, key("history"), new Rollback("history", DeployRig.ENVIRONMENT, null))));
        assertThat(again.reason()).isEqualTo("no good release before the live one (" + first.release() + ") of history/staging to roll back to");
    }

    @Test
    void keepReleasesPrunesTheOldestButNeverTheCurrentNorThePreviousOne() throws IOException {
        String last = null;
        for (int i = 0; i < 4; i++) {
            last = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(flow.deploy("pruned"))).release();
        }
        try (var releases = Files.list(root(a, "pruned").resolve("releases"))) {
            List<String> names = releases.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(2).endsWith(last);
        }
    }

    @Test
    void aRedeliveredDeployRunsOnce() throws IOException {
        Envelope command = flow.deploy("redelivered");
        kafka.send(Messages.DEPLOY.topic().topicName(), key("redelivered"), command);
        DeployCompleted done = read(Messages.DEPLOY_COMPLETED, flow.awaitEnd(command));
        List<Envelope> events = flow.events(command);
        assertThat(events.stream().filter(e -> Messages.DEPLOY_STARTED.is(e))).hasSize(1);
        assertThat(Files.readAllLines(root(a, "redelivered").resolve("migrations.log"))).containsExactly(done.release());
    }

    private static Envelope awaitRunBackup(Envelope deploy) {
        return KafkaTestClient.envelope(kafka.await(Messages.RUN_BACKUP.topic().topicName(),
                record -> deploy.id().equals(KafkaTestClient.envelope(record).causationId()), 1, Duration.ofMinutes(1)).get(0));
    }

    /** The backup-service's answer, as it sends it: caused by the RunBackup, in its correlation. */
    private static <T> void answer(Envelope runBackup, MessageType<T> type, T payload) {
        Envelope answer = Envelope.causedBy(runBackup, "/wharf/backup-service", type.type(), "catalogue-db", type.write(payload));
        kafka.send(type.topic().topicName(), "catalogue-db", answer);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
