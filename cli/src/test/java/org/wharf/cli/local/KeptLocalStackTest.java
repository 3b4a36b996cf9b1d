package org.wharf.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.local.sample.SampleDeploy;
import org.wharf.cli.support.CliRun;
import org.wharf.cli.support.Connection;
import org.wharf.common.infra.LocalPostgres;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

import tools.jackson.databind.JsonNode;

/**
 * {@code wharf local up} as an operator runs it, in a process of its own: what it was given before a kill -9
 * (a deposit, a backup, a schedule, a release) is there after the next start on the same --data-dir, and the
 * schedule fires again; a second stack on the folder is refused; --fresh starts empty.
 */
class KeptLocalStackTest {

    private static final Duration START = Duration.ofMinutes(4);
    private static final Pattern HOST_KEY = Pattern.compile("host key (SHA256:\\S+)");

    @TempDir
    Path work;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
        // A stack killed with -9 leaves its PostgreSQL server running; nobody holds the folder now.
        LocalPostgres.stopLeftOver(work.resolve("data/postgres").toAbsolutePath().normalize());
    }

    @Test
    void everythingGivenBeforeAKillDashNineIsThereAfterTheNextStartAndFreshStartsEmpty() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Path data = work.resolve("data").toAbsolutePath().normalize();
        Path oldRun = Files.createDirectories(home.resolve("local/run-12345/s3/wharf-deposits"));
        Files.writeString(oldRun.resolve("left-behind"), "an object of an earlier, throwaway run");

        Process first = localUp(home, data, "first.log");
        String firstOutput = awaitReady(first, work.resolve("first.log"));
        assertThat(firstOutput).contains("removed 1 throwaway folder(s) of earlier runs").contains("state       " + data + " (a first start)");
        assertThat(home.resolve("local/run-12345")).doesNotExist();

        CliRun client = CliRun.wharf(home, "client", "create", "--username", "hal", "--collection", "hal-collection",
                "--provider-url", "https://hal.example.org/");
        assertThat(client.status()).as(client.err()).isZero();
        CliRun deposit = CliRun.wharf(home, "deposit", "submit", "--client", "hal", "--collection", "hal-collection",
                "--archive", archive().toString(), "--metadata", metadata().toString(),
                "--origin", "https://hal.example.org/kept", "--wait", "--json");
        assertThat(deposit.status()).as(deposit.err()).isZero();
        assertThat(deposit.json().get("status").asString()).isEqualTo("done");
        String depositId = deposit.json().get("depositId").asString();
        CliRun backup = CliRun.wharf(home, "backup", "run", "sample", "--wait", "--json");
        assertThat(backup.status()).as(backup.err()).isZero();
        String backupKey = backup.json().get("key").asString();
        // A command nobody handles (the loader skips types it does not know): the fires themselves are what counts.
        String schedule = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun added = CliRun.wharf(home, "schedule", "add", schedule, "--cron", "@every 2s", "--type", "org.wharf.test.ping.v1",
                "--topic", Topic.LOADER_COMMANDS.topicName(), "--payload", "{}");
        assertThat(added.status()).as(added.err()).isZero();
        CliRun deployed = CliRun.wharf(home, "deploy", "run", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT, "--wait", "--timeout", "3m");
        assertThat(deployed.status()).as(deployed.out() + deployed.err()).isZero();
        String release = Files.readSymbolicLink(data.resolve("srv/sample/current")).getFileName().toString();

        first.destroyForcibly();
        assertThat(first.waitFor()).as("killed by SIGKILL, no shutdown hook run").isEqualTo(128 + 9);

        Instant restarted = Instant.now();
        Process second = localUp(home, data, "second.log");
        String secondOutput = awaitReady(second, work.resolve("second.log"));
        assertThat(secondOutput).contains("state       " + data + " (kept from the last run; --fresh starts empty)")
                .doesNotContain("throwaway folder");
        assertThat(hostKey(secondOutput)).as("the sample's SSH keys are kept").isEqualTo(hostKey(firstOutput));

        CliRun refused = CliRun.wharf(home, "local", "up", "--data-dir", data.toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("wharf: another local stack is running on " + data + " (pid " + second.pid()
                + "): stop it first, or give another --data-dir");

        CliRun status = CliRun.wharf(home, "deposit", "status", depositId, "--json");
        assertThat(status.status()).as(status.err()).isZero();
        assertThat(status.json().get("status").asString()).isEqualTo("done");
        assertThat(CliRun.wharf(home, "deposit", "list", "--json").out()).contains(depositId);
        CliRun backups = CliRun.wharf(home, "backup", "list", "sample", "--json");
        assertThat(backups.status()).as(backups.err()).isZero();
        assertThat(backups.out()).contains(backupKey).contains("completed");
        assertThat(CliRun.wharf(home, "schedule", "list").out()).contains(schedule);
        CliRun releases = CliRun.wharf(home, "deploy", "releases", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT);
        assertThat(releases.status()).as(releases.err()).isZero();
        assertThat(releases.out()).contains(release);
        String bootstrap = Connection.load(home, Map.of()).bootstrapServers();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            List<?> fired = kafka.await(Topic.SCHEDULER_EVENTS.topicName(), KafkaTestClient.withKey(schedule)
                    .and(KafkaTestClient.ofType(Messages.SCHEDULE_FIRED))
                    .and(r -> fired(r).dueAt().isAfter(restarted)), 1, Duration.ofMinutes(1));
            assertThat(fired).as("fired for a due time after the restart").isNotEmpty();
        }

        // SIGTERM, as Ctrl-C: the shutdown hook stops everything and removes the connection file.
        second.destroy();
        second.waitFor();
        assertThat(home.resolve(Connection.FILE_NAME)).doesNotExist();
        assertThat(data.resolve("postgres/postmaster.pid")).as("PostgreSQL stopped with the stack").doesNotExist();

        Process third = localUp(home, data, "third.log", "--fresh");
        String thirdOutput = awaitReady(third, work.resolve("third.log"));
        assertThat(thirdOutput).contains("state       " + data + " (a first start)");
        assertThat(hostKey(thirdOutput)).as("--fresh keeps the sample's SSH keys").isEqualTo(hostKey(firstOutput));
        CliRun unknown = CliRun.wharf(home, "deposit", "status", depositId);
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("wharf: no deposit " + depositId + " is known");
        assertThat(CliRun.wharf(home, "backup", "list", "sample").out()).doesNotContain(backupKey);
        assertThat(CliRun.wharf(home, "schedule", "list").out()).doesNotContain(schedule);
        assertThat(CliRun.wharf(home, "deploy", "releases", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT).out())
                .doesNotContain(release);
        assertThat(data.resolve("srv/sample/releases")).doesNotExist();
        third.destroy();
        third.waitFor();
        try (var left = Files.list(home.resolve("local"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no throwaway run folder left").noneMatch(n -> n.startsWith("run-"));
        }
    }

    @Test
    void aDataDirThatIsAFileIsRefusedInOneLine() throws IOException {
        Path file = Files.writeString(work.resolve("not-a-folder"), "x");
        CliRun refused = CliRun.wharf(Files.createDirectories(work.resolve("home")), "local", "up", "--data-dir", file.toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("wharf: cannot use " + file.toAbsolutePath().normalize()
                + " for the local stack's state: not a folder");
    }

    private Process localUp(Path home, Path data, String log, String... more) throws IOException {
        return LocalUpProcess.start(started, home, data, work.resolve(log), more);
    }

    private static String awaitReady(Process process, Path log) throws IOException, InterruptedException {
        return LocalUpProcess.awaitReady(process, log, START);
    }

    private static ScheduleFired fired(ConsumerRecord<String, byte[]> record) {
        return Messages.SCHEDULE_FIRED.read(KafkaTestClient.envelope(record));
    }

    private static String hostKey(String output) {
        Matcher matcher = HOST_KEY.matcher(output);
        assertThat(matcher.find()).as("a host key line in:\n" + output).isTrue();
        return matcher.group(1);
    }

    private Path archive() throws Exception {
        return LocalUpProcess.archive(work, "deposit", "A deposit kept across restarts.\n");
    }

    private Path metadata() throws IOException {
        return LocalUpProcess.metadata(work);
    }
}
