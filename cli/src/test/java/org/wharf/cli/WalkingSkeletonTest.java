package org.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.support.CliRun;
import org.wharf.cli.support.LocalPlatform;
import org.wharf.cli.local.sample.SampleDeploy;
import org.wharf.common.message.Messages;

import tools.jackson.databind.JsonNode;

/**
 * Drives the whole platform from the outside, as an operator would: the five services running
 * against the real broker, PostgreSQL and S3 server, and the {@code wharf} command.
 */
class WalkingSkeletonTest {

    private static LocalPlatform platform;
    private static SampleDeploy sample;
    private static Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void startPlatform() throws IOException {
        platform = LocalPlatform.start();
        sample = platform.sample();
        home = platform.home();
        CliRun client = wharf(home, "client", "create", "--username", "hal", "--collection", "hal-collection",
                "--provider-url", "https://hal.example.org/");
        assertThat(client.status()).as(client.err()).isZero();
        assertThat(client.out()).contains("client hal created: collections hal-collection");
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    static CliRun wharf(Path wharfHome, String... args) {
        return CliRun.wharf(wharfHome, args);
    }

    @Test
    void aDepositGoesReceivedVerifiedLoadingDoneWithGitsTreeIdAndOneCorrelation() throws Exception {
        Path tree = sourceTree(work.resolve("tree"));
        Path archive = work.resolve("deposit.tar.gz");
        run(work, "tar", "-czf", archive.toString(), "-C", tree.toString(), "README", "src", "bin", "a", "a.b", "a-b", "link");
        Path metadata = metadata(work);
        String gitTree = gitWriteTree(tree);

        CliRun submit = wharf(home, "deposit", "submit", "--client", "hal", "--collection", "hal-collection",
                "--archive", archive.toString(), "--metadata", metadata.toString(),
                "--origin", "https://hal.example.org/project", "--wait", "--json");

        assertThat(submit.status()).as(submit.err()).isZero();
        JsonNode status = submit.json();
        assertThat(status.get("status").asString()).isEqualTo("done");
        assertThat(status.get("directory").asString()).isEqualTo("swh:1:dir:" + gitTree);
        String depositId = status.get("depositId").asString();
        assertThat(status.get("context").asString()).isEqualTo("swh:1:dir:" + gitTree
                + ";origin=https://hal.example.org/project;visit=" + status.get("snapshot").asString()
                + ";anchor=" + status.get("release").asString() + ";path=/");

        CliRun audit = wharf(home, "audit", "tail", "--correlation", depositId, "--json");
        assertThat(audit.status()).as(audit.err()).isZero();
        List<JsonNode> records = new ArrayList<>();
        List<JsonNode> received = new ArrayList<>();
        // The CLI writes no audit copy of what it sends; the consuming service writes (at most) one.
        audit.json().forEach(r -> (Messages.DEPOSIT_RECEIVED.is(r.get("type").asString()) ? received : records).add(r));
        assertThat(received).hasSizeLessThanOrEqualTo(1);
        assertThat(records).extracting(r -> r.get("type").asString()).containsExactly(
                Messages.DEPOSIT_VERIFIED.type(), Messages.DEPOSIT_LOADING.type(), Messages.DEPOSIT_LOADED.type());
        assertThat(records).allSatisfy(r -> assertThat(r.get("correlationId").asString()).isEqualTo(depositId));
        assertThat(records).allSatisfy(r -> assertThat(r.get("source").asString()).isNotEqualTo("/wharf/cli"));
        assertThat(records.get(0).get("actor").asString()).isEqualTo("alice");
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).get("causationId").asString()).as("causation of record %d", i)
                    .isEqualTo(records.get(i - 1).get("id").asString());
        }

        CliRun loaderOnly = wharf(home, "audit", "tail", "--since", "10m", "--type", "org.wharf.deposit.load*",
                "--correlation", depositId, "--json");
        List<String> loaderTypes = new ArrayList<>();
        loaderOnly.json().forEach(r -> loaderTypes.add(r.get("type").asString()));
        assertThat(loaderTypes).containsExactly(Messages.DEPOSIT_LOADING.type(), Messages.DEPOSIT_LOADED.type());
        assertThat(wharf(home, "audit", "tail", "--since", "yesterday").status()).isEqualTo(2);

        CliRun shown = wharf(home, "deposit", "status", depositId);
        assertThat(shown.status()).isZero();
        assertThat(shown.out()).contains("deposit " + depositId + ": done").contains("swh:1:dir:" + gitTree);

        // Rescheduled, as Software Heritage's 'deposit reschedule': back to verified, loaded again.
        CliRun rescheduled = wharf(home, "deposit", "reschedule", depositId);
        assertThat(rescheduled.status()).as(rescheduled.err()).isZero();
        assertThat(rescheduled.out()).contains("rescheduled (was done), loading again");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        CliRun again;
        do {
            Thread.sleep(200);
            again = wharf(home, "audit", "tail", "--correlation", depositId, "--type", "org.wharf.deposit.loaded.v1", "--json");
        } while (again.json().size() < 2 && System.nanoTime() < deadline);
        assertThat(again.json().size()).as("DepositLoaded records after the reschedule").isEqualTo(2);
        // --wait follows the load after the reschedule to its end: a third DepositLoaded, told as done
        CliRun waited = wharf(home, "deposit", "reschedule", depositId, "--wait", "--timeout", "1m");
        assertThat(waited.status()).as(waited.err()).isZero();
        assertThat(waited.err()).contains("rescheduled, loading again");
        assertThat(waited.out()).contains("deposit " + depositId + ": done").contains("swh:1:dir:" + gitTree);
        assertThat(wharf(home, "audit", "tail", "--correlation", depositId, "--type", "org.wharf.deposit.loaded.v1", "--json").json().size())
                .as("the waited reschedule ended on its own DepositLoaded").isEqualTo(3);
        CliRun reloaded = wharf(home, "deposit", "status", depositId, "--json");
        assertThat(reloaded.json().get("status").asString()).isEqualTo("done");
        assertThat(reloaded.json().get("directory").asString()).isEqualTo("swh:1:dir:" + gitTree);
    }

    @Test
    void aDepositRejectedForAnUnknownClientIsCheckedAgainOnceTheClientExistsAndLoaded() throws Exception {
        Path tree = sourceTree(work.resolve("late-tree"));
        Path archive = work.resolve("late.tar.gz");
        run(work, "tar", "-czf", archive.toString(), "-C", tree.toString(), "README", "src");
        String client = "late-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun submit = wharf(home, "deposit", "submit", "--client", client, "--collection", "hal-collection",
                "--archive", archive.toString(), "--metadata", metadata(work).toString(),
                "--origin", "https://hal.example.org/late", "--wait", "--json");
        assertThat(submit.status()).isEqualTo(1);
        String depositId = submit.json().get("depositId").asString();

        CliRun stillUnknown = wharf(home, "deposit", "check", depositId);
        assertThat(stillUnknown.status()).as(stillUnknown.err()).isEqualTo(1);
        assertThat(stillUnknown.out()).contains("deposit " + depositId + ": rejected").contains("unknown client " + client);

        assertThat(wharf(home, "client", "create", "--username", client, "--collection", "hal-collection",
                "--provider-url", "https://hal.example.org/").status()).isZero();
        CliRun loaded = wharf(home, "deposit", "check", depositId, "--wait", "--json");
        assertThat(loaded.status()).as(loaded.out() + loaded.err()).isZero();
        assertThat(loaded.json().get("status").asString()).isEqualTo("done");
        assertThat(loaded.json().get("directory").asString()).startsWith("swh:1:dir:");
        assertThat(loaded.json().get("problems").get("client")).isEmpty();

        CliRun again = wharf(home, "deposit", "check", depositId);
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("deposit " + depositId + " is verified: only a rejected deposit");
        CliRun never = wharf(home, "deposit", "check", "no-such-deposit");
        assertThat(never.status()).isEqualTo(1);
        assertThat(never.err().strip()).isEqualTo("wharf: deposit no-such-deposit is unknown to the checker");
    }

    @Test
    void theSampleTargetIsBackedUpToS3RightAfterStart() {
        CliRun backup = wharf(home, "backup", "run", "sample", "--wait", "--json");
        assertThat(backup.status()).as(backup.err()).isZero();
        JsonNode done = backup.json();
        assertThat(done.get("key").asString()).matches("backup/sample/sample-\\d{14}\\.dump\\.zst"); // zstd, the default
        assertThat(done.get("size").asLong()).isPositive();
        assertThat(done.get("sha256").asString()).matches("[0-9a-f]{64}");
        CliRun listed = wharf(home, "backup", "list", "sample", "--json");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(done.get("key").asString()).contains("completed");
        CliRun verifyAsked = wharf(home, "backup", "verify", "sample", "--backup", done.get("key").asString());
        assertThat(verifyAsked.status()).as(verifyAsked.err()).isZero();
        assertThat(verifyAsked.out()).contains("verification of sample asked for; follow it: wharf audit tail --correlation ");
        CliRun verified = wharf(home, "backup", "verify", "sample", "--backup", done.get("key").asString(), "--wait");
        assertThat(verified.status()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("is good").contains("public.deposit_log=1000");
        String into = "sample_copy_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
        CliRun asked = wharf(home, "backup", "restore", "sample", "--into", into + "_later");
        assertThat(asked.status()).as(asked.err()).isZero();
        assertThat(asked.out()).contains("asked for; follow it: wharf audit tail --correlation ");
        CliRun restored = wharf(home, "backup", "restore", "sample", "--into", into, "--wait", "--json");
        assertThat(restored.status()).as(restored.err()).isZero();
        assertThat(restored.json().get("rowCounts").get("public.deposit_log").asLong()).isEqualTo(1000);
        CliRun again = wharf(home, "backup", "restore", "sample", "--into", into, "--wait");
        CliRun laterDone = wharf(home, "backup", "restore", "sample", "--into", into + "_later", "--wait");
        assertThat(laterDone.err()).as("the restore asked for without --wait ran").contains("exists: ask to drop and recreate it");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("exists: ask to drop and recreate it (--drop)");
        CliRun dryRun = wharf(home, "backup", "prune", "sample", "--dry-run");
        assertThat(dryRun.status()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).startsWith("would delete 0 backup(s) of sample"); // the sample target keeps everything
        CliRun pruned = wharf(home, "backup", "prune", "sample", "--wait", "--json");
        assertThat(pruned.status()).as(pruned.err()).isZero();
        assertThat(pruned.json().get("deleted").size()).isZero();
        CliRun pruneAsked = wharf(home, "backup", "prune", "sample");
        assertThat(pruneAsked.status()).as(pruneAsked.err()).isZero();
        assertThat(pruneAsked.out()).contains("prune of sample asked for; follow it: wharf audit tail --correlation ");
        CliRun pinned = wharf(home, "backup", "pin", "sample", done.get("key").asString());
        assertThat(pinned.status()).as(pinned.err()).isZero();
        assertThat(pinned.out()).contains("is pinned: retention never deletes it");
        assertThat(wharf(home, "backup", "list", "sample").out()).contains(done.get("key").asString() + "  "
                + done.get("size").asLong() + " bytes  pinned  verified");
        CliRun notThere = wharf(home, "backup", "pin", "sample", "no-such-backup");
        assertThat(notThere.status()).isEqualTo(1);
        assertThat(notThere.err()).contains("no completed backup of sample with id or key no-such-backup");
        // The target's configured schedules are the scheduler's: a nightly backup, a weekly verification.
        CliRun schedules = wharf(home, "schedule", "list");
        assertThat(schedules.status()).as(schedules.err()).isZero();
        assertThat(schedules.out()).contains("backup-sample").contains("verify-sample").contains("@daily").contains("@weekly");
        CliRun unknown = wharf(home, "backup", "run", "nope", "--wait");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no backup target named nope");
    }

    @Test
    void aScheduleFiresItsCommandThroughThePlatformUntilItIsDeleted() throws Exception {
        String name = "backup-every-second-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun bad = wharf(home, "schedule", "add", name, "--cron", "0 2 * *", "--backup", "sample");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().trim()).startsWith("wharf: cron expression '0 2 * *' has 4 fields").doesNotContain("\n");

        CliRun added = wharf(home, "schedule", "add", name, "--cron", "@every 1s", "--zone", "Europe/Paris", "--backup", "sample");
        assertThat(added.status()).as(added.err()).isZero();
        CliRun shown = wharf(home, "schedule", "show", name, "--json");
        assertThat(shown.status()).as(shown.err()).isZero();
        assertThat(shown.json().get("next")).as("the next five fire times").hasSize(5);
        assertThat(shown.json().get("schedule").get("zone").asString()).isEqualTo("Europe/Paris");

        Thread.sleep(3000);
        CliRun listed = wharf(home, "schedule", "list", "--json");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(name);
        CliRun audit = wharf(home, "audit", "tail", "--type", "org.wharf.backup.run-backup.v1", "--json");
        List<JsonNode> fired = new ArrayList<>();
        audit.json().forEach(record -> {
            if (record.get("key").asString().equals("sample") && "scheduler".equals(record.get("actor").asString())) {
                fired.add(record);
            }
        });
        assertThat(fired).as("RunBackup fired by the scheduler").hasSizeGreaterThanOrEqualTo(2);

        assertThat(wharf(home, "schedule", "pause", name).status()).isZero();
        CliRun now = wharf(home, "schedule", "run", name);
        assertThat(now.status()).as(now.err()).isZero();
        assertThat(wharf(home, "schedule", "delete", name).status()).isZero();
        CliRun gone = wharf(home, "schedule", "show", name);
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err()).contains("no schedule named " + name);
    }

    @Test
    void aForbidScheduleKeepsTheJobTimeoutItWasGiven() {
        String name = "verify-forbid-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun added = wharf(home, "schedule", "add", name, "--cron", "@daily", "--backup", "sample",
                "--concurrency", "forbid", "--job-timeout", "2h", "--paused");
        assertThat(added.status()).as(added.err()).isZero();
        CliRun shown = wharf(home, "schedule", "show", name);
        assertThat(shown.status()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("  job timeout:       2h" + System.lineSeparator());
        CliRun json = wharf(home, "schedule", "show", name, "--json");
        assertThat(json.json().get("schedule").get("jobTimeoutSeconds").asLong()).isEqualTo(7200);

        // The whole definition is replaced: without the option, the command's deadline bounds the wait again.
        CliRun replaced = wharf(home, "schedule", "add", name, "--replace", "--cron", "@daily", "--backup", "sample",
                "--concurrency", "forbid", "--job-timeout", "PT30M", "--paused");
        assertThat(replaced.status()).as(replaced.err()).isZero();
        assertThat(wharf(home, "schedule", "show", name, "--json").json().get("schedule").get("jobTimeoutSeconds").asLong())
                .isEqualTo(1800);
        replaced = wharf(home, "schedule", "add", name, "--replace", "--cron", "@daily", "--backup", "sample",
                "--concurrency", "forbid", "--paused");
        assertThat(replaced.status()).as(replaced.err()).isZero();
        assertThat(wharf(home, "schedule", "show", name).out()).contains("  job timeout:       the command's deadline");

        // Refused before the broker is asked: the schedule keeps its definition.
        CliRun allow = wharf(home, "schedule", "add", name, "--replace", "--cron", "@hourly", "--backup", "sample",
                "--job-timeout", "2h");
        assertThat(allow.status()).isEqualTo(2);
        assertThat(allow.err()).isEqualTo("wharf: --job-timeout goes with --concurrency forbid only "
                + "(a schedule waits for its job only then)" + System.lineSeparator());
        assertThat(wharf(home, "schedule", "show", name, "--json").json().get("schedule").get("expression").asString())
                .isEqualTo("@daily");
        assertThat(wharf(home, "schedule", "delete", name).status()).isZero();
    }

    @Test
    void theSampleApplicationDeploysOverSshAndABadRefIsRefusedWithExitOne() throws Exception {
        CliRun deployed = wharf(home, "deploy", "run", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT, "--wait", "--timeout", "3m");
        assertThat(deployed.status()).as(deployed.out() + deployed.err()).isZero();
        Path current = sample.root().resolve("current");
        assertThat(Files.isSymbolicLink(current)).isTrue();
        String release = Files.readSymbolicLink(current).getFileName().toString();
        assertThat(deployed.out()).contains(release).contains("health");
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(sample.healthUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        CliRun releases = wharf(home, "deploy", "releases", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT);
        assertThat(releases.status()).isZero();
        assertThat(releases.out()).contains(release);

        CliRun refused = wharf(home, "deploy", "run", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT, "--ref", "main; rm -rf /");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("is not a valid git ref name");
        assertThat(Files.readSymbolicLink(current).getFileName().toString()).as("nothing changed").isEqualTo(release);
    }

    @Test
    void aFileThatIsNotAnArchiveIsRejectedWithExitStatusOne() throws Exception {
        Path notAnArchive = work.resolve("notes.zip");
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        Files.write(notAnArchive, noise);

        CliRun submit = wharf(home, "deposit", "submit", "--client", "hal", "--collection", "hal-collection",
                "--archive", notAnArchive.toString(), "--metadata", metadata(work).toString(),
                "--origin", "https://hal.example.org/noise", "--wait");

        assertThat(submit.status()).isEqualTo(1);
        assertThat(submit.out()).contains(": rejected")
                .contains("problem:   archive: Mandatory archive type is not supported");

        // deposit list: newest first, filtered by client and status, the reason of a rejection shown (a client
        // of this test only, unknown to the checker: both its deposits are rejected for it)
        String client = "noisy-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun first = wharf(home, "deposit", "submit", "--client", client, "--collection", "hal-collection",
                "--archive", notAnArchive.toString(), "--metadata", metadata(work).toString(), "--wait", "--json");
        CliRun second = wharf(home, "deposit", "submit", "--client", client, "--collection", "other-collection",
                "--archive", notAnArchive.toString(), "--metadata", metadata(work).toString(), "--wait", "--json");
        String firstId = first.json().get("depositId").asString();
        String secondId = second.json().get("depositId").asString();
        CliRun listed = wharf(home, "deposit", "list", "--client", client, "--json");
        assertThat(listed.status()).as(listed.err()).isZero();
        List<String> ids = new ArrayList<>();
        listed.json().forEach(d -> ids.add(d.get("depositId").asString()));
        assertThat(ids).containsExactly(secondId, firstId);
        assertThat(listed.json().get(0).get("status").asString()).isEqualTo("rejected");
        assertThat(listed.json().get(0).get("collection").asString()).isEqualTo("other-collection");
        assertThat(listed.json().get(0).get("reason").asString()).isEqualTo("client: unknown client " + client + " (client)");
        assertThat(wharf(home, "deposit", "list", "--client", client, "--limit", "1", "--json").json().size()).isEqualTo(1);
        CliRun table = wharf(home, "deposit", "list", "--client", client, "--status", "rejected");
        assertThat(table.out()).startsWith("DEPOSIT").containsPattern(secondId + "\\s+rejected\\s+" + client + "\\s+other-collection");
        CliRun noneDone = wharf(home, "deposit", "list", "--client", client, "--status", "done");
        assertThat(noneDone.status()).isZero();
        assertThat(noneDone.out().strip()).isEqualTo("no deposit received in the last 168h is done from client " + client);
        CliRun wrongStatus = wharf(home, "deposit", "list", "--status", "finished");
        assertThat(wrongStatus.status()).isEqualTo(2);
        assertThat(wrongStatus.err()).contains("--status finished: not a status (one of deposited, verified, rejected, loading, done, failed)");
        assertThat(wharf(home, "deposit", "list", "--limit", "0").status()).isEqualTo(2);
    }

    @Test
    void usageAndConnectionErrorsExitTwoWithOneLineAndNoStackTrace() throws Exception {
        CliRun missingFile = wharf(home, "deposit", "submit", "--client", "c", "--collection", "c",
                "--archive", work.resolve("nope.zip").toString(), "--metadata", work.resolve("nope.xml").toString());
        assertThat(missingFile.status()).isEqualTo(2);
        assertThat(missingFile.err().strip()).isEqualTo("wharf: --archive " + work.resolve("nope.zip") + ": no such readable file");

        CliRun notLoaded = wharf(home, "deposit", "reschedule", "no-such-deposit");
        assertThat(notLoaded.status()).isEqualTo(1);
        assertThat(notLoaded.err().strip()).isEqualTo("wharf: deposit no-such-deposit was never verified: "
                + "only a done or failed deposit can be rescheduled");

        CliRun unknown = wharf(home, "deposit", "status", "no-such-deposit");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("wharf: no deposit no-such-deposit is known");

        CliRun nowhere = wharf(Files.createDirectories(work.resolve("empty-home")), "audit", "tail");
        assertThat(nowhere.status()).isEqualTo(2);
        assertThat(nowhere.err()).startsWith("wharf: no Kafka broker known").doesNotContain("Exception").doesNotContain("\tat ");

        CliRun badClient = wharf(home, "client", "create", "--username", "x", "--collection", "y", "--provider-url", "ftp:/x");
        assertThat(badClient.status()).isEqualTo(1);
        assertThat(badClient.err().strip()).isEqualTo("wharf: client x refused: provider URL 'ftp:/x' must be an absolute http(s) URL");

        CliRun badUsage = wharf(home, "deposit", "submit", "--client");
        assertThat(badUsage.status()).isEqualTo(2);
    }

    private static Path sourceTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("README"), "A deposit.\n");
        Files.writeString(root.resolve("src/main/hello.c"), "int main(void) { return 0; }\n");
        Files.write(root.resolve("src/empty.txt"), new byte[0]);
        Files.createDirectories(root.resolve("bin"));
        Path script = Files.writeString(root.resolve("bin/run.sh"), "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Names whose order differs with and without git's "directory name + /" rule.
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/inside"), "in a\n");
        Files.writeString(root.resolve("a.b"), "a.b\n");
        Files.writeString(root.resolve("a-b"), "a-b\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("README"));
        return root;
    }

    private static Path metadata(Path dir) throws IOException {
        return Files.writeString(dir.resolve("metadata.xml"), """
                <?xml version="1.0"?>
                <entry xmlns="http://www.w3.org/2005/Atom" xmlns:codemeta="https://doi.org/10.5063/SCHEMA/CODEMETA-2.0">
                  <title>A deposit</title>
                  <author><name>Alice</name></author>
                </entry>
                """);
    }

    private static String gitWriteTree(Path tree) throws Exception {
        Path gitHome = Files.createTempDirectory("git-home-");
        run(tree, gitHome, "git", "init", "-q");
        run(tree, gitHome, "git", "-c", "core.fileMode=true", "-c", "core.symlinks=true", "add", "-A");
        String id = run(tree, gitHome, "git", "write-tree").strip();
        // The tree itself is archived again by later tests; keep .git out of it.
        run(tree, gitHome, "rm", "-rf", ".git");
        return id;
    }

    private static String run(Path dir, String... command) throws Exception {
        return run(dir, null, command);
    }

    private static String run(Path dir, Path gitHome, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        if (gitHome != null) {
            builder.environment().put("HOME", gitHome.toString());
            builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
