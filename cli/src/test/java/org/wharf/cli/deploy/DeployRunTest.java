package org.wharf.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wharf.cli.support.SharedHome;
import org.wharf.cli.support.CliRun;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.deploy.DeployPlanned;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.DeployUnlocked;
import org.wharf.common.message.deploy.PlannedStep;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deploy.Rollback;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.message.deploy.StepStarted;
import org.wharf.common.message.deploy.UnlockDeploy;
import org.wharf.common.testsupport.KafkaTestClient;

import tools.jackson.databind.JsonNode;

/**
 * {@code wharf deploy run|rollback|unlock} against the real broker, the test playing the deploy-service:
 * what the CLI sends (type, key, payload), and how it reads each answer the contract allows: the
 * started line, a plan, a refusal, and with --wait every step to a completed, failed or rolled-back end.
 */
class DeployRunTest {

    static final String HOST_A = "deployer@127.0.0.1:2222";
    static final String HOST_B = "deployer@127.0.0.1:2223";
    static final String RELEASE = "20261202040506";

    private static Path home;
    private static FakeDeployService service;

    @BeforeAll
    static void connect() throws Exception {
        home = SharedHome.withCatalogTopics();
        service = new FakeDeployService(KafkaTestClient.shared());
    }

    /** An application name of the test's own, so that no other test's records share its key. */
    static String application() {
        return "app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static CompletableFuture<CliRun> wharf(String... args) {
        return CompletableFuture.supplyAsync(() -> CliRun.wharf(home, args));
    }

    static CliRun done(CompletableFuture<CliRun> run) throws Exception {
        return run.get(60, TimeUnit.SECONDS);
    }

    static DeployStarted started(Envelope command, String app, String kind, String ref, String release, List<String> hosts) {
        return new DeployStarted(command.id(), app, "staging", kind, ref, release, hosts, Instant.parse("2026-12-02T04:05:06Z"));
    }

    static StepFinished ok(Envelope command, String app, String host, String step, long millis) {
        return new StepFinished(command.id(), app, "staging", host, step, true, 0, millis, "done\n", null);
    }

    @Test
    void runSendsDeployWithItsOptionsKeyedAppEnvAndPrintsTheStartedLine() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--ref", "feature/x", "--skip-build",
                "--no-restart", "celery", "--no-restart", "beat");

        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        Deploy sent = Messages.DEPLOY.read(command);
        assertThat(sent).isEqualTo(new Deploy(app, "staging", "feature/x", true, List.of("celery", "beat"), false));
        assertThat(command.actor()).isEqualTo("alice");
        assertThat(command.correlationId()).as("a first record: its own correlation").isEqualTo(command.id());
        assertThat(command.deadline()).as("every command carries a deadline").isNotNull();
        service.answer(command).then(Messages.DEPLOY_STARTED, started(command, app, "deploy", "feature/x", RELEASE, List.of(HOST_A, HOST_B)));

        CliRun result = done(run);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(
                "deploying feature/x of " + app + " to staging as release " + RELEASE + " on 2 hosts (deployment " + command.id() + ")",
                "follow it: wharf deploy status " + app + " staging");
    }

    @Test
    void runLeavesOptionsOutByDefaultAndJsonIsTheStartedEvent() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--json");

        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        assertThat(Messages.DEPLOY.read(command)).isEqualTo(new Deploy(app, "staging", null, false, List.of(), false));
        service.answer(command).then(Messages.DEPLOY_STARTED, started(command, app, "deploy", "main", RELEASE, List.of(HOST_A)));

        CliRun result = done(run);
        assertThat(result.status()).as(result.err()).isZero();
        JsonNode json = result.json();
        assertThat(json.get("deploymentId").asString()).isEqualTo(command.id());
        assertThat(json.get("release").asString()).isEqualTo(RELEASE);
    }

    @Test
    void aDryRunPrintsThePlan() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--dry-run", "--ref", "main");

        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        assertThat(Messages.DEPLOY.read(command).dryRun()).isTrue();
        service.answer(command).then(Messages.DEPLOY_PLANNED, new DeployPlanned(command.id(), app, "staging", "main", RELEASE,
                List.of(List.of(HOST_A), List.of(HOST_B)),
                List.of(new PlannedStep("connect", null), new PlannedStep("build", "make build"),
                        new PlannedStep("migrate", "./migrate.sh")),
                List.of("catalogue_gunicorn", "catalogue_celery")));

        CliRun result = done(run);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(
                "plan (dry run, no host connected): deploy main of " + app + " to staging as release " + RELEASE,
                "  batch 1: " + HOST_A,
                "  batch 2: " + HOST_B,
                "  steps on each host:",
                "    connect",
                "    build    make build",
                "    migrate  ./migrate.sh",
                "  restart: catalogue_gunicorn, catalogue_celery");
    }

    @Test
    void aRefusalIsItsReasonOnStderrAndExitOne() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--wait");
        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        String holder = "held by bob since 2026-12-02T03:04:05Z for deploy main (deployment 0b6c)";
        service.answer(command).then(Messages.DEPLOY_COMMAND_REJECTED, new CommandRejected(Messages.DEPLOY.type(), app + "/staging", holder));

        CliRun result = done(run);
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip()).isEqualTo("wharf: deploy of " + app + " to staging refused: " + holder);

        String other = application();
        CompletableFuture<CliRun> json = wharf("deploy", "run", other, "staging", "--json", "--ref", "main; rm -rf /");
        Envelope bad = service.command(Messages.DEPLOY, other + "/staging");
        assertThat(Messages.DEPLOY.read(bad).ref()).as("sent as typed: the service validates refs").isEqualTo("main; rm -rf /");
        service.answer(bad).then(Messages.DEPLOY_COMMAND_REJECTED, new CommandRejected(Messages.DEPLOY.type(), other + "/staging",
                "ref main; rm -rf / is not a valid git ref name"));
        CliRun refused = done(json);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.json().get("rejected").asString()).isEqualTo("ref main; rm -rf / is not a valid git ref name");
    }

    @Test
    void waitPrintsEachStepAndACompletedDeployExitsZero() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--wait");
        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        service.answer(command)
                .then(Messages.DEPLOY_STARTED, started(command, app, "deploy", "main", RELEASE, List.of(HOST_A, HOST_B)))
                .then(Messages.STEP_STARTED, new StepStarted(command.id(), app, "staging", HOST_A, "connect"))
                .then(Messages.STEP_FINISHED, new StepFinished(command.id(), app, "staging", HOST_A, "connect", true, null, 12, null, null))
                .then(Messages.STEP_FINISHED, ok(command, app, HOST_A, "migrate", 340))
                .then(Messages.STEP_FINISHED, ok(command, app, HOST_B, "migrate", 350))
                .then(Messages.DEPLOY_COMPLETED, new DeployCompleted(command.id(), app, "staging", "deploy", "main", RELEASE,
                        "0123abcd", List.of(HOST_A, HOST_B), Map.of(), 4200));

        CliRun result = done(run);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(
                "deploying main of " + app + " to staging as release " + RELEASE + " on 2 hosts (deployment " + command.id() + ")",
                HOST_A + "  connect  ok  exit -  12 ms",
                HOST_A + "  migrate  ok  exit 0  340 ms",
                HOST_B + "  migrate  ok  exit 0  350 ms",
                "deployed main (commit 0123abcd) of " + app + " to staging: release " + RELEASE + " live on 2 hosts in 4200 ms");
    }

    @Test
    void waitEndingInDeployFailedExitsOneWithTheHostStepAndOutput() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--wait");
        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        service.answer(command)
                .then(Messages.DEPLOY_STARTED, started(command, app, "deploy", "main", RELEASE, List.of(HOST_A)))
                .then(Messages.STEP_FINISHED, new StepFinished(command.id(), app, "staging", HOST_A, "migrate", false, 3, 800,
                        "applying 0042\nERROR: relation \"t\" already exists\n", null))
                .then(Messages.DEPLOY_FAILED, new DeployFailed(command.id(), app, "staging", "deploy", RELEASE,
                        "./migrate.sh exited with 3", HOST_A, "migrate"));

        CliRun result = done(run);
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).contains(HOST_A + "  migrate  FAILED  exit 3  800 ms: ERROR: relation \"t\" already exists");
        assertThat(result.err().strip()).isEqualTo("wharf: deploy of " + app + " to staging failed at " + HOST_A
                + "/migrate: ./migrate.sh exited with 3 (nothing switched: every host keeps the release it had)");
    }

    @Test
    void waitEndingInARollbackExitsOneNamingTheBadRelease() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--wait", "--json");
        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        String reason = "GET http://127.0.0.1:3579/datasets/ answered 502, expected 200 (11 attempts over 20.3 s)";
        service.answer(command)
                .then(Messages.DEPLOY_STARTED, started(command, app, "deploy", "main", RELEASE, List.of(HOST_A)))
                .then(Messages.STEP_FINISHED, ok(command, app, HOST_A, "switch", 5))
                .then(Messages.STEP_FINISHED, new StepFinished(command.id(), app, "staging", HOST_A, "health", false, null, 20300, null, reason))
                .then(Messages.STEP_FINISHED, ok(command, app, HOST_A, "switch-back", 5))
                .then(Messages.ROLLED_BACK, new RolledBack(command.id(), app, "staging", RELEASE, "20261201000000", List.of(HOST_A),
                        false, reason, HOST_A, "health"));

        CliRun result = done(run);
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains(HOST_A + "  health  FAILED  exit -  20300 ms: " + reason);
        assertThat(result.err().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("wharf: deploy of " + app
                + " to staging rolled back: release " + RELEASE + " failed at " + HOST_A + "/health: " + reason
                + "; it is marked bad, and " + HOST_A + " is back on release 20261201000000");
        JsonNode json = result.json();
        assertThat(json.get("outcome").asString()).isEqualTo("rolled back");
        assertThat(json.get("toRelease").asString()).isEqualTo("20261201000000");
        assertThat(json.get("steps")).hasSize(3);
        assertThat(json.get("steps").get(1).get("status").asString()).isEqualTo("FAILED");
    }

    @Test
    void waitGivesUpAfterTheTimeoutAsBackupRunDoes() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "run", app, "staging", "--wait", "--timeout", "PT2S");
        Envelope command = service.command(Messages.DEPLOY, app + "/staging");
        service.answer(command).then(Messages.DEPLOY_STARTED, started(command, app, "deploy", "main", RELEASE, List.of(HOST_A)));

        CliRun result = done(run);
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("wharf: the deploy of " + app
                + " to staging did not end within PT2S (it goes on; see: wharf deploy status " + app + " staging)");
    }

    @Test
    void rollbackToANamedReleaseSucceedsWithRolledBackAsAsked() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "rollback", app, "staging", "--to", "20261201000000", "--wait");
        Envelope command = service.command(Messages.ROLLBACK, app + "/staging");
        assertThat(Messages.ROLLBACK.read(command)).isEqualTo(new Rollback(app, "staging", "20261201000000"));
        service.answer(command)
                .then(Messages.DEPLOY_STARTED, started(command, app, "rollback", null, "20261201000000", List.of(HOST_A)))
                .then(Messages.STEP_FINISHED, ok(command, app, HOST_A, "switch", 4))
                .then(Messages.ROLLED_BACK, new RolledBack(command.id(), app, "staging", RELEASE, "20261201000000", List.of(HOST_A),
                        true, null, null, null));

        CliRun result = done(run);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out().lines().toList()).containsExactly(
                "rolling " + app + "/staging back to release 20261201000000 on 1 host (deployment " + command.id() + ")",
                HOST_A + "  switch  ok  exit 0  4 ms",
                "rolled " + app + "/staging back from release " + RELEASE + " to 20261201000000 on 1 host");
    }

    @Test
    void aFailedRollbackExitsOne() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "rollback", app, "staging", "--wait");
        Envelope command = service.command(Messages.ROLLBACK, app + "/staging");
        assertThat(Messages.ROLLBACK.read(command).toRelease()).isNull();
        service.answer(command)
                .then(Messages.DEPLOY_STARTED, started(command, app, "rollback", null, "20261201000000", List.of(HOST_A)))
                .then(Messages.DEPLOY_FAILED, new DeployFailed(command.id(), app, "staging", "rollback", "20261201000000",
                        "host key of 127.0.0.1:2222 changed", HOST_A, "connect"));

        CliRun result = done(run);
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("wharf: rollback of " + app + "/staging failed at " + HOST_A + "/connect: host key");
    }

    @Test
    void unlockSaysWhoHeldTheLockOrThatNobodyDid() throws Exception {
        String app = application();
        CompletableFuture<CliRun> run = wharf("deploy", "unlock", app, "staging", "--reason", "the deploy-service was killed");
        Envelope command = service.command(Messages.UNLOCK_DEPLOY, app + "/staging");
        assertThat(Messages.UNLOCK_DEPLOY.read(command)).isEqualTo(new UnlockDeploy(app, "staging", "the deploy-service was killed"));
        service.answer(command).then(Messages.DEPLOY_UNLOCKED, new DeployUnlocked(app, "staging", "bob", "d-1",
                "the deploy-service was killed"));
        CliRun held = done(run);
        assertThat(held.status()).as(held.err()).isZero();
        assertThat(held.out().strip()).isEqualTo("deploy lock of " + app + "/staging released: it was held by bob (deployment d-1)");

        String other = application();
        CompletableFuture<CliRun> none = wharf("deploy", "unlock", other, "staging", "--reason", "just in case");
        Envelope second = service.command(Messages.UNLOCK_DEPLOY, other + "/staging");
        service.answer(second).then(Messages.DEPLOY_UNLOCKED, new DeployUnlocked(other, "staging", null, null, "just in case"));
        CliRun free = done(none);
        assertThat(free.status()).as(free.err()).isZero();
        assertThat(free.out().strip()).isEqualTo("no deploy lock of " + other + "/staging was held; nothing to release");
    }
}
