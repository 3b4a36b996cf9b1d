package org.wharf.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deploy.Rollback;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.message.deploy.StepStarted;
import org.wharf.common.testsupport.KafkaTestClient;

import tools.jackson.databind.JsonNode;

/**
 * {@code wharf deploy status} and {@code wharf deploy releases}: folds of a key's deploy events on the
 * real broker, written by the test as the deploy-service would (the contract's causation and
 * correlation): the newest deployment per host and step, and the release log with a failed release,
 * a bad one and the current one.
 */
class DeployHistoryTest {

    static final String A = DeployRunTest.HOST_A;
    static final String B = DeployRunTest.HOST_B;
    static final String R1 = "20261201000000";
    static final String R2 = "20261201010000";
    static final String R3 = "20261201020000";
    static final String R4 = "20261201030000";

    private static Path home;
    private static FakeDeployService service;

    @BeforeAll
    static void connect() throws Exception {
        home = SharedHome.withCatalogTopics();
        service = new FakeDeployService(KafkaTestClient.shared());
    }

    static Envelope deploy(String app, String actor, String ref) {
        return service.sent(Messages.DEPLOY, app + "/staging", new Deploy(app, "staging", ref, false, List.of(), false), actor);
    }

    static DeployStarted started(Envelope command, String app, String kind, String ref, String release, List<String> hosts) {
        return new DeployStarted(command.id(), app, "staging", kind, ref, release, hosts, Instant.parse(release.substring(0, 4) + "-"
                + release.substring(4, 6) + "-" + release.substring(6, 8) + "T" + release.substring(8, 10) + ":"
                + release.substring(10, 12) + ":" + release.substring(12) + "Z"));
    }

    static DeployCompleted completed(Envelope command, String app, String ref, String release, String commit, List<String> hosts) {
        return new DeployCompleted(command.id(), app, "staging", "deploy", ref, release, commit, hosts, Map.of(), 1000);
    }

    @Test
    void statusShowsTheNewestDeploymentPerHostAndStep() {
        String app = DeployRunTest.application();
        Envelope first = deploy(app, "bob", "main");
        service.answer(first)
                .then(Messages.DEPLOY_STARTED, started(first, app, "deploy", "main", R1, List.of(A)))
                .then(Messages.DEPLOY_COMPLETED, completed(first, app, "main", R1, "c1", List.of(A)));
        Envelope second = deploy(app, "alice", "feature/x");
        service.answer(second)
                .then(Messages.DEPLOY_STARTED, started(second, app, "deploy", "feature/x", R2, List.of(A, B)))
                .then(Messages.STEP_STARTED, new StepStarted(second.id(), app, "staging", A, "fetch"))
                .then(Messages.STEP_STARTED, new StepStarted(second.id(), app, "staging", B, "fetch"))
                .then(Messages.STEP_FINISHED, new StepFinished(second.id(), app, "staging", B, "fetch", true, 0, 900, "", null))
                .then(Messages.STEP_FINISHED, new StepFinished(second.id(), app, "staging", A, "fetch", false, 128, 700,
                        "Cloning...\nfatal: couldn't find remote ref feature/x\n", null))
                .then(Messages.STEP_STARTED, new StepStarted(second.id(), app, "staging", B, "migrate"));
        // a dry run and a refusal afterwards are no deployment: the running one stays the newest
        Envelope dry = service.sent(Messages.DEPLOY, app + "/staging", new Deploy(app, "staging", null, false, List.of(), true), "carol");
        service.answer(dry).then(Messages.DEPLOY_PLANNED, new DeployPlanned(dry.id(), app, "staging", "main", R3, List.of(), List.of(), List.of()));
        Envelope refused = deploy(app, "carol", "main");
        service.answer(refused).then(Messages.DEPLOY_COMMAND_REJECTED, new CommandRejected(Messages.DEPLOY.type(), app + "/staging", "held"));

        CliRun text = CliRun.wharf(home, "deploy", "status", app, "staging");

        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out().lines().toList()).containsExactly(
                "deploy of feature/x to " + app + "/staging as release " + R2 + " (deployment " + second.id() + ")",
                "  by alice, started 2026-12-01T01:00:00Z, on " + A + ", " + B,
                "  outcome: running",
                "  HOST                     STEP     STATUS   EXIT  DURATION",
                "  " + A + "  fetch    FAILED   128   700 ms  output: fatal: couldn't find remote ref feature/x",
                "  " + B + "  fetch    ok       0     900 ms",
                "  " + B + "  migrate  running  -     -");

        CliRun json = CliRun.wharf(home, "deploy", "status", app, "staging", "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode document = json.json();
        assertThat(document.get("deploymentId").asString()).isEqualTo(second.id());
        assertThat(document.get("outcome").asString()).isEqualTo("running");
        assertThat(document.get("actor").asString()).isEqualTo("alice");
        assertThat(document.get("steps")).hasSize(3);
        assertThat(document.get("steps").get(0).get("exitStatus").asInt()).isEqualTo(128);
    }

    @Test
    void statusOfAKeyNeverDeployedSaysSoAndExitsZero() {
        String app = DeployRunTest.application();
        CliRun text = CliRun.wharf(home, "deploy", "status", app, "staging");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out().strip()).isEqualTo("no deployment of " + app + "/staging yet");
        CliRun json = CliRun.wharf(home, "deploy", "status", app, "staging", "--json");
        assertThat(json.json().get("outcome").asString()).isEqualTo("none");
    }

    @Test
    void releasesListsGoodFailedAndBadReleasesNewestFirstAndWhichIsCurrent() {
        String app = DeployRunTest.application();
        Envelope d1 = deploy(app, "bob", "main");
        service.answer(d1)
                .then(Messages.DEPLOY_STARTED, started(d1, app, "deploy", "main", R1, List.of(A)))
                .then(Messages.DEPLOY_COMPLETED, completed(d1, app, "main", R1, "c1", List.of(A)));
        Envelope d2 = deploy(app, "alice", "feature/x");
        service.answer(d2)
                .then(Messages.DEPLOY_STARTED, started(d2, app, "deploy", "feature/x", R2, List.of(A)))
                .then(Messages.DEPLOY_FAILED, new DeployFailed(d2.id(), app, "staging", "deploy", R2, "migrate failed", A, "migrate"));
        Envelope d3 = deploy(app, "alice", "v2");
        service.answer(d3)
                .then(Messages.DEPLOY_STARTED, started(d3, app, "deploy", "v2", R3, List.of(A)))
                .then(Messages.ROLLED_BACK, new RolledBack(d3.id(), app, "staging", R3, R1, List.of(A), false, "health 502", A, "health"));
        Envelope d4 = deploy(app, "bob", "v3");
        service.answer(d4)
                .then(Messages.DEPLOY_STARTED, started(d4, app, "deploy", "v3", R4, List.of(A, B)))
                .then(Messages.DEPLOY_COMPLETED, completed(d4, app, "v3", R4, "c4", List.of(A, B)));

        CliRun before = CliRun.wharf(home, "deploy", "releases", app, "staging", "--json");
        assertThat(before.status()).as(before.err()).isZero();
        assertThat(before.json().get(0).get("release").asString()).isEqualTo(R4);
        assertThat(before.json().get(0).get("current").asBoolean()).as("the last completed deploy is current").isTrue();

        Envelope back = service.sent(Messages.ROLLBACK, app + "/staging", new Rollback(app, "staging", null), "carol");
        service.answer(back)
                .then(Messages.DEPLOY_STARTED, started(back, app, "rollback", null, R1, List.of(A, B)))
                .then(Messages.ROLLED_BACK, new RolledBack(back.id(), app, "staging", R4, R1, List.of(A, B), true, null, null, null));

        CliRun json = CliRun.wharf(home, "deploy", "releases", app, "staging", "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode releases = json.json();
        assertThat(releases).hasSize(4);
        assertThat(releases.get(0).get("release").asString()).isEqualTo(R4);
        assertThat(releases.get(0).get("state").asString()).isEqualTo("good");
        assertThat(releases.get(0).get("current").asBoolean()).isFalse();
        assertThat(releases.get(0).get("commit").asString()).isEqualTo("c4");
        assertThat(releases.get(0).get("hosts")).hasSize(2);
        assertThat(releases.get(1).get("state").asString()).isEqualTo("bad");
        assertThat(releases.get(2).get("state").asString()).isEqualTo("failed");
        assertThat(releases.get(3).get("release").asString()).isEqualTo(R1);
        assertThat(releases.get(3).get("state").asString()).isEqualTo("good");
        assertThat(releases.get(3).get("current").asBoolean()).as("rolled back to, as asked").isTrue();
        assertThat(releases.get(3).get("who").asString()).isEqualTo("bob");

        CliRun text = CliRun.wharf(home, "deploy", "releases", app, "staging");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out().lines().toList()).containsExactly(
                "  RELEASE         STATE   WHEN                  WHO    REF        COMMIT  HOSTS",
                "  " + R4 + "  good    2026-12-01T03:00:00Z  bob    v3         c4      " + A + "," + B,
                "  " + R3 + "  bad     2026-12-01T02:00:00Z  alice  v2         -       " + A,
                "  " + R2 + "  failed  2026-12-01T01:00:00Z  alice  feature/x  -       " + A,
                "* " + R1 + "  good    2026-12-01T00:00:00Z  bob    main       c1      " + A,
                "(* current)");

        CliRun status = CliRun.wharf(home, "deploy", "status", app, "staging");
        assertThat(status.out()).contains("rollback of " + app + "/staging to release " + R1,
                "outcome: completed: release " + R1 + " live again (was " + R4 + ")");
    }
}
