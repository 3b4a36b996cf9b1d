package org.wharf.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.support.CliRun;
import org.wharf.cli.support.Connection;
import org.wharf.common.infra.LocalPostgres;

/**
 * {@code wharf local up --processes}: the broker, the S3 server and each service replica are processes of
 * their own, listed with their pids by the command and by {@code wharf local ps}; a replica killed with -9
 * is not restarted and the other one takes its work, until {@code wharf local start} starts it again; PostgreSQL
 * restarted under the services ({@code wharf local restart postgres}) loses no deposit; Ctrl-C (SIGTERM) stops every process; wrong
 * --replicas are refused before anything starts.
 */
class LocalProcessesTest {

    private static final Duration START = Duration.ofMinutes(5);
    private static final Pattern PROCESS = Pattern.compile("process\\s+(\\S+)\\s+pid (\\d+)");

    @TempDir
    Path work;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverythingStarted() throws Exception {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
        LocalPostgres.stopLeftOver(work.resolve("data/postgres").toAbsolutePath().normalize());
    }

    @Test
    void everyPartIsAProcessOfItsOwnNoneIsRestartedAndCtrlCStopsThemAll() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Path data = work.resolve("data").toAbsolutePath().normalize();
        Path log = work.resolve("up.log");
        // The deposit path only, to keep the test's JVMs few: two checkers, one loader, no other service.
        Process up = LocalUpProcess.start(started, home, data, log, "--processes",
                "--replicas", "checker=2,loader=1,backup=0,deploy=0,scheduler=0");
        String output = LocalUpProcess.awaitReady(up, log, START);

        Map<String, Long> pids = printedPids(output);
        assertThat(pids.keySet()).containsExactly("wharf-local-up", "postgres", "broker", "s3", "checker-1", "checker-2", "loader-1");
        assertThat(pids.get("wharf-local-up")).isEqualTo(up.pid());
        assertThat(pids.values()).as("a process each").doesNotHaveDuplicates().allMatch(LocalProcessesTest::alive);
        String secret = Connection.load(home, Map.of()).s3().getSecretKey();
        String s3CommandLine = Files.readString(Path.of("/proc", pids.get("s3").toString(), "cmdline")).replace('\0', ' ');
        assertThat(s3CommandLine).as("the S3 server's command line holds not its secret key")
                .contains(LocalProcess.class.getName() + " s3 ").doesNotContain(secret);

        CliRun ps = CliRun.wharf(home, "local", "ps", "--data-dir", data.toString());
        assertThat(ps.status()).as(ps.err()).isZero();
        for (Map.Entry<String, Long> process : pids.entrySet()) {
            assertThat(ps.out()).containsPattern("(?m)^" + process.getKey() + "\\s+" + process.getValue() + "\\s+running ");
        }

        CliRun client = CliRun.wharf(home, "client", "create", "--username", "hal", "--collection", "hal-collection",
                "--provider-url", "https://hal.example.org/");
        assertThat(client.status()).as(client.err()).isZero();
        assertThat(deposit(home, "first")).isEqualTo("done");

        ProcessHandle checker = ProcessHandle.of(pids.get("checker-1")).orElseThrow();
        checker.destroyForcibly();
        checker.onExit().get(30, TimeUnit.SECONDS);
        awaitOutput(log, "wharf: checker-1 (pid " + pids.get("checker-1") + ") exited with status 137; not restarted");
        CliRun afterKill = CliRun.wharf(home, "local", "ps", "--data-dir", data.toString());
        assertThat(afterKill.out()).containsPattern("(?m)^checker-1\\s+" + pids.get("checker-1") + "\\s+exited ")
                .containsPattern("(?m)^checker-2\\s+" + pids.get("checker-2") + "\\s+running ");
        // Whichever partition the next deposits land on, the checker left takes them (after the group's rebalance).
        for (int i = 0; i < 3; i++) {
            assertThat(deposit(home, "after-kill-" + i)).isEqualTo("done");
        }
        assertThat(alive(pids.get("checker-1"))).as("not restarted").isFalse();

        // Until the operator starts it again, with the configuration it had.
        CliRun start = CliRun.wharf(home, "local", "start", "checker-1", "--data-dir", data.toString());
        assertThat(start.status()).as(start.err()).isZero();
        Matcher startedAgain = Pattern.compile("checker-1 started, pid (\\d+)").matcher(start.out());
        assertThat(startedAgain.find()).as(start.out()).isTrue();
        long again = Long.parseLong(startedAgain.group(1));
        assertThat(alive(again)).isTrue();
        pids.put("checker-1", again);
        assertThat(CliRun.wharf(home, "local", "ps", "--data-dir", data.toString()).out())
                .containsPattern("(?m)^checker-1\\s+" + again + "\\s+running ");
        CliRun running = CliRun.wharf(home, "local", "start", "checker-2", "--data-dir", data.toString());
        assertThat(running.status()).isEqualTo(1);
        assertThat(running.err().strip()).isEqualTo("wharf: start checker-2 refused: checker-2 is running (pid " + pids.get("checker-2") + ")");
        CliRun nobody = CliRun.wharf(home, "local", "stop", "loader-9", "--data-dir", data.toString());
        assertThat(nobody.status()).isEqualTo(1);
        assertThat(nobody.err()).contains("no process 'loader-9' in this stack");
        // PostgreSQL restarted under the services: they make new connections and carry on.
        CliRun postgres = CliRun.wharf(home, "local", "restart", "postgres", "--data-dir", data.toString());
        assertThat(postgres.status()).as(postgres.err()).isZero();
        assertThat(postgres.out()).startsWith("postgres restarted, pid ");
        assertThat(deposit(home, "after-postgres")).isEqualTo("done");

        up.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops everything
        assertThat(up.waitFor(2, TimeUnit.MINUTES)).isTrue();
        for (Map.Entry<String, Long> process : pids.entrySet()) {
            ProcessHandle.of(process.getValue()).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertThat(alive(process.getValue())).as(process.getKey() + " stopped").isFalse();
        }
        CliRun stopped = CliRun.wharf(home, "local", "ps", "--data-dir", data.toString());
        assertThat(stopped.status()).as("no stack runs").isEqualTo(1);
        assertThat(stopped.out()).containsPattern("(?m)^loader-1\\s+" + pids.get("loader-1") + "\\s+exited ");
    }

    @Test
    void wrongReplicasAreRefusedBeforeAnythingStarts() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Path data = work.resolve("data");
        CliRun alone = CliRun.wharf(home, "local", "up", "--data-dir", data.toString(), "--replicas", "checker=2");
        assertThat(alone.status()).isEqualTo(2);
        assertThat(alone.err().strip()).isEqualTo("wharf: --replicas needs --processes (in one process each service runs once)");
        CliRun unknown = CliRun.wharf(home, "local", "up", "--data-dir", data.toString(), "--processes", "--replicas", "checkr=2");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().strip())
                .isEqualTo("wharf: --replicas: no service 'checkr' (checker, loader, backup, deploy, scheduler)");
        CliRun tooMany = CliRun.wharf(home, "local", "up", "--data-dir", data.toString(), "--processes", "--replicas", "loader=99");
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err().strip()).isEqualTo("wharf: --replicas loader=99: a number of processes from 0 to 16");
        assertThat(data).as("nothing started, nothing written").doesNotExist();
        CliRun noStack = CliRun.wharf(home, "local", "start", "checker-1", "--data-dir", data.toString());
        assertThat(noStack.status()).isEqualTo(2);
        assertThat(noStack.err().strip()).isEqualTo("wharf: no wharf local up --processes runs on " + data.toAbsolutePath()
                + " (only a stack started with --processes has processes to start)");
        CliRun none = CliRun.wharf(home, "local", "ps", "--data-dir", data.toString());
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("wharf: no local stack has run on " + data.toAbsolutePath()
                + " (see wharf local up --data-dir)");
    }

    private String deposit(Path home, String name) throws Exception {
        CliRun deposit = CliRun.wharf(home, "deposit", "submit", "--client", "hal", "--collection", "hal-collection",
                "--archive", LocalUpProcess.archive(work, name, "A deposit named " + name + ".\n").toString(),
                "--metadata", LocalUpProcess.metadata(work).toString(),
                "--origin", "https://hal.example.org/" + name, "--wait", "--timeout", "3m", "--json");
        assertThat(deposit.status()).as(deposit.err()).isZero();
        return deposit.json().get("status").asString();
    }

    private static Map<String, Long> printedPids(String output) {
        Map<String, Long> pids = new LinkedHashMap<>();
        Matcher matcher = PROCESS.matcher(output);
        while (matcher.find()) {
            pids.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return pids;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitOutput(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.readString(log).contains(text)) {
            assertThat(System.nanoTime() < deadline).as("'" + text + "' in:\n" + Files.readString(log)).isTrue();
            Thread.sleep(200);
        }
    }
}
