package org.wharf.bench;

import static org.wharf.bench.Percentiles.median;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployTarget;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.topic.Topic;
import org.wharf.deploy.DeployApplication;
import org.wharf.deploy.release.ReleaseFolders;

import com.sun.net.httpserver.HttpServer;

/**
 * The same deploy to {@code hosts} (16) OpenSSH servers on 127.0.0.1, with Wharf and with
 * {@code ansible-playbook} (forks = hosts), in one run: fetch the ref into a new release (after the layout
 * check), link the shared file, migrate, switch {@code current}, restart, check health, prune. Both sides
 * run the same commands on the same hosts, each host reset before each deploy to the same three earlier
 * releases; both deploy the same ref of the same bare repository, and the hosts' health URL is one
 * HTTP server in this process.
 *
 * <p>Wharf: the deploy-service as its own process (default settings, {@code -Xmx256m}) against a broker and
 * PostgreSQL in this process, the hosts as its inventory (pinned SHA256 host keys, one batch of all hosts);
 * the figure is from sending Deploy to reading DeployCompleted, as the operator's {@code wharf deploy run
 * --wait} sees it, and the service's CPU seconds over that window. Ansible: {@code ansible-playbook} with
 * the playbook {@code bench/deploy/deploy.yml}, host key checking on against a known_hosts file written
 * here; the figure is the process's wall time.
 *
 * <p>After every deploy each host is checked (current, the commit, the shared link, one migration, the
 * restart, a health request per host), outside the timed window. Rounds alternate which side goes first;
 * one untimed warm-up deploy of each side goes before. Prints each round, the medians and the ratio
 * (Wharf / Ansible: goal ≤ 0.1).
 * Usage: {@code DeployBenchmark [workDir] [runs=5] [hosts=16] [warmUps=1] [ansible=tuned|defaults]}; tuned:
 * no facts gathered, pipelining on; defaults: facts gathered, no pipelining (Ansible's own defaults).
 */
public final class DeployBenchmark {

    private static final String APP = "bench";
    private static final String ENV = "bench";
    private static final String REF = "main";
    private static final int KEEP = 5;
    private static final List<String> SEEDED = List.of("20200101000001", "20200101000002", "20200101000003");
    private static final Pattern RECAP = Pattern.compile("(?m)^(h\\d+)\\s+:\\s+ok=\\d+\\s+changed=\\d+\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

    /** Every child process started, so that even an interrupted run leaves none behind. */
    private static final List<Process> children = new CopyOnWriteArrayList<>();

    private record Round(long ansibleMs, double ansibleCpuSeconds, Long wharfMs, Double wharfCpuSeconds, Long cliMs, String order) {
    }

    /** One Wharf deploy: DeployCompleted, its wall time and the deploy-service's CPU over it. */
    private record WharfDeploy(DeployCompleted completed, long wallMs, double cpuSeconds) {
    }

    /** The Wharf side did not deploy: why (rejected, failed, no answer), with what it answered. */
    private static final class WharfUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        WharfUnavailable(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-deploy").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int warmUps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean tuned = args.length <= 4 || !args[4].equals("defaults");
        for (String tool : List.of("ssh-keygen", "ssh", "git", "curl", "unshare", "mount", "ansible-playbook")) {
            if (!onPath(tool)) {
                throw new IllegalStateException(tool + " is not on PATH (bench/run-deploy.sh installs what is missing)");
            }
        }
        if (!Files.isExecutable(OpenSshHosts.SSHD)) {
            throw new IllegalStateException(OpenSshHosts.SSHD + " is missing (apt-get install openssh-server)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("run as root: each host's sshd runs in a mount namespace of its own (unshare --mount)");
        }
        Files.createDirectories(work);
        Runtime.getRuntime().addShutdownHook(new Thread(DeployBenchmark::stopChildren, "bench-children-stop"));
        Path playbook = playbook();

        Path repository = work.resolve("app.git");
        String commit = prepareRepository(work, repository);
        Path bin = Files.createDirectories(work.resolve("bin"));
        AtomicInteger healthRequests = new AtomicInteger();
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        health.createContext("/health/", exchange -> {
            healthRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        health.setExecutor(Executors.newFixedThreadPool(4));
        health.start();
        Path infraDir = work.resolve("infra");
        Folders.deleteRecursively(infraDir);
        try (OpenSshHosts hosts = OpenSshHosts.start(work, count)) {
            System.out.printf("hosts' folders: %s on %s (bench/run-deploy.sh: tmpfs unless WHARF_BENCH_HOST_FS=disk)%n",
                    work.resolve("hosts"), Files.getFileStore(work.resolve("hosts")).type());
            Path root = hosts.mountPoint().resolve("app"); // as every host sees its folder
            Path restart = restartScript(bin, root);
            Path template = template(work, repository, root);
            String healthUrl = "http://127.0.0.1:" + health.getAddress().getPort() + "/health/";
            Path ansibleDir = ansibleFiles(work, hosts, count);
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("root", root.toString());
            vars.put("repository", repository.toString());
            vars.put("ref", REF);
            vars.put("keep", KEEP);
            vars.put("previous", SEEDED.get(SEEDED.size() - 1)); // current before each deploy: kept, as Wharf keeps it
            vars.put("shared", List.of(".env"));
            vars.put("migrate", "./migrate.sh");
            vars.put("restart_command", restart.toString());
            vars.put("services", List.of("app"));
            vars.put("health_url", healthUrl);
            vars.put("health_retries", 1);
            vars.put("health_interval", 1);
            vars.put("gather", !tuned);
            System.out.printf("%d hosts: OpenSSH %s on 127.0.0.1 ports %d..%d, as root, each its own folder seen as %s%n", count,
                    OpenSshHosts.run("ssh", "-V").strip(), hosts.hosts().get(0).port(), hosts.hosts().get(count - 1).port(), root);
            System.out.printf("deploy: %s at %s (commit %s) into releases/<UTC yyyyMMddHHmmss>; before each deploy every host "
                    + "has releases %s, current -> the last, shared/.env%n", repository, REF, commit, String.join(", ", SEEDED));
            System.out.printf("steps on each host, both sides, the same commands: fetch (mkdir -p releases shared; test ! -e <release>; "
                    + "git clone --no-checkout; %s as the clone's tag or branch, else git fetch origin %<s; git checkout --detach), link-shared .env, "
                    + "migrate (./migrate.sh in the release), switch (ln -s + mv -T over current), restart (%s app), "
                    + "health (curl %s, on the host), prune (keep %d, one command)%n", REF, restart, healthUrl, KEEP);
            System.out.printf("ansible: %s, %s; forks %d, serial 100%%, host key checking on (%s), %s%n",
                    OpenSshHosts.run("ansible-playbook", "--version").lines().findFirst().orElse("").strip(), playbook, count,
                    ansibleDir.resolve("known_hosts"), tuned ? "no facts gathered, pipelining on, ControlPersist (each run its own, closed after)"
                            : "Ansible's defaults: facts gathered, no pipelining, ControlPersist (each run its own, closed after)");

            try (LocalInfrastructure infra = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, infraDir);
                 KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers())) {
                Map<String, Object> properties = new HashMap<>(infra.serviceProperties("deploy"));
                properties.putAll(inventory(hosts, repository, root, restart, healthUrl));
                Path serviceLog = work.resolve("deploy-service.log");
                Files.deleteIfExists(serviceLog);
                System.out.printf("wharf: the deploy-service as its own process (-Xmx256m, default settings), inventory %s/%s: the %d hosts, "
                        + "serial 100%% (one batch), SHA256 host-key pins, the same key; Deploy sent -> DeployCompleted read%n%n", APP, ENV, count);
                Process service = ServiceProcess.start(DeployApplication.class, DeployApplication.SERVICE_NAME, properties, 256, serviceLog, null);
                children.add(service);
                try {
                    compare(work, hosts, template, ansibleDir, playbook, vars, commit, healthRequests, kafka, infra.bootstrapServers(),
                            service, serviceLog, runs, warmUps);
                } finally {
                    stop(service); // before the infrastructure it uses
                }
            }
        } finally {
            health.stop(0);
            ((ExecutorService) health.getExecutor()).shutdownNow();
            stopChildren();
            Folders.deleteRecursively(infraDir);
        }
    }

    private static void compare(Path work, OpenSshHosts hosts, Path template, Path ansibleDir, Path playbook, Map<String, Object> vars,
                                String commit, AtomicInteger healthRequests, KafkaTestClient kafka, String bootstrapServers,
                                Process service, Path serviceLog, int runs, int warmUps) throws Exception {
        String wharfUnavailable = null;
        try {
            ServiceProcess.awaitStarted(service, serviceLog, Duration.ofMinutes(2));
        } catch (IllegalStateException e) {
            wharfUnavailable = "the deploy-service did not start: " + e.getMessage();
        }
        int[] ansibleRun = {0};
        Step ansible = () -> {
            reset(hosts, template);
            healthRequests.set(0);
            String release = ReleaseFolders.nameFor(Instant.now());
            long[] result = ansible(work, ansibleDir, playbook, vars, release, ++ansibleRun[0]);
            verify(hosts, release, commit, healthRequests.get(), "ansible");
            return new long[] {result[0], result[1]};
        };
        Step wharf = () -> {
            reset(hosts, template);
            healthRequests.set(0);
            WharfDeploy deploy = wharf(kafka, bootstrapServers, service, serviceLog);
            if (!commit.equals(deploy.completed().commit())) {
                throw new WharfUnavailable("DeployCompleted names commit " + deploy.completed().commit() + ", " + REF + " is " + commit);
            }
            try {
                verify(hosts, deploy.completed().release(), commit, healthRequests.get(), "wharf");
            } catch (IllegalStateException e) {
                // a deploy that did not do the work is no figure; the Ansible side goes on being measured
                throw new WharfUnavailable("DeployCompleted, but " + e.getMessage());
            }
            return new long[] {deploy.wallMs(), Math.round(deploy.cpuSeconds() * 1000)};
        };
        // The same deploy as the operator starts it: the `wharf` command's own process, its start-up included
        Path cliJar = Path.of(System.getProperty("wharf.cli.jar", "cli/target/wharf.jar")).toAbsolutePath();
        Step cli = () -> {
            reset(hosts, template);
            healthRequests.set(0);
            long wallMs = cli(cliJar, bootstrapServers, work.resolve("wharf-cli.log"));
            String release = Files.readSymbolicLink(hosts.hosts().get(0).box().resolve("app/current")).getFileName().toString();
            try {
                verify(hosts, release, commit, healthRequests.get(), "wharf cli");
            } catch (IllegalStateException e) {
                throw new WharfUnavailable("wharf deploy run exited 0, but " + e.getMessage());
            }
            return new long[] {wallMs, 0};
        };
        String cliUnavailable = Files.isRegularFile(cliJar) ? null : cliJar + " is missing (bench/run-deploy.sh builds it)";

        for (int i = 0; i < warmUps; i++) {
            long[] a = ansible.run();
            System.out.printf("warm-up: ansible %,d ms%n", a[0]);
            if (wharfUnavailable == null) {
                try {
                    long[] w = wharf.run();
                    System.out.printf("warm-up: wharf %,d ms%n", w[0]);
                } catch (WharfUnavailable e) {
                    wharfUnavailable = e.getMessage();
                }
            }
        }
        if (wharfUnavailable != null) {
            System.out.printf("%nWARNING: the Wharf side is not measured: %s%n%n", wharfUnavailable);
        }

        List<Round> rounds = new ArrayList<>();
        System.out.printf("%5s %12s %16s %10s %14s %8s %14s %8s   %s%n", "round", "ansible ms", "(ansible cpu s)", "wharf ms", "wharf cpu s",
                "ratio", "wharf cli ms", "ratio", "order");
        for (int round = 1; round <= runs; round++) {
            boolean wharfFirst = round % 2 == 0;
            long[] a = null;
            long[] w = null;
            long[] c = null;
            if (wharfFirst && wharfUnavailable == null) {
                w = measure(wharf);
                c = cliUnavailable == null ? measure(cli) : null;
            }
            a = ansible.run();
            if (!wharfFirst && wharfUnavailable == null) {
                w = measure(wharf);
                c = cliUnavailable == null ? measure(cli) : null;
            }
            Round r = new Round(a[0], a[1] / 1000.0, w == null ? null : w[0], w == null ? null : w[1] / 1000.0, c == null ? null : c[0],
                    w == null ? "A" : wharfFirst ? "W A" : "A W");
            rounds.add(r);
            System.out.printf("%5d %,12d %16.1f %10s %14s %8s %14s %8s   %s%n", round, r.ansibleMs(), r.ansibleCpuSeconds(),
                    r.wharfMs() == null ? "-" : String.format("%,d", r.wharfMs()),
                    r.wharfCpuSeconds() == null ? "-" : String.format("%.2f", r.wharfCpuSeconds()),
                    r.wharfMs() == null ? "-" : String.format("%.3fx", (double) r.wharfMs() / r.ansibleMs()),
                    r.cliMs() == null ? "-" : String.format("%,d", r.cliMs()),
                    r.cliMs() == null ? "-" : String.format("%.3fx", (double) r.cliMs() / r.ansibleMs()), r.order());
        }

        long ansibleMs = median(rounds.stream().map(Round::ansibleMs).toList());
        double ansibleCpu = median(rounds.stream().map(r -> Math.round(r.ansibleCpuSeconds() * 1000)).toList()) / 1000.0;
        System.out.printf("%nmedian of %d: ansible-playbook %,d ms (its own CPU, forks included, %.1f s)%n", runs, ansibleMs, ansibleCpu);
        List<Round> measured = rounds.stream().filter(r -> r.wharfMs() != null).toList();
        if (measured.size() == rounds.size() && !rounds.isEmpty()) {
            long wharfMs = median(measured.stream().map(Round::wharfMs).toList());
            double wharfCpu = median(measured.stream().map(r -> Math.round(r.wharfCpuSeconds() * 1000)).toList()) / 1000.0;
            System.out.printf("median of %d: wharf %,d ms, deploy-service CPU %.2f s%n", runs, wharfMs, wharfCpu);
            System.out.printf("ratio wharf / ansible: %.3fx (goal <= 0.1x)%n", (double) wharfMs / ansibleMs);
            List<Long> cliMs = rounds.stream().map(Round::cliMs).filter(Objects::nonNull).toList();
            if (cliMs.size() == rounds.size()) {
                long median = median(cliMs);
                System.out.printf("median of %d: wharf deploy run --wait (the command's process, JVM start-up included) %,d ms, "
                        + "ratio %.3fx%n", runs, median, (double) median / ansibleMs);
            } else {
                System.out.printf("wharf deploy run --wait: not measured (%s)%n", cliUnavailable == null ? "a round failed" : cliUnavailable);
            }
        } else {
            System.out.printf("wharf: not measured (%s)%n", wharfUnavailable == null ? "a round did not deploy, see above" : wharfUnavailable);
        }
    }

    /** One run of a Wharf side, or null (with the reason printed) when it did not deploy. */
    private static long[] measure(Step side) throws Exception {
        try {
            return side.run();
        } catch (WharfUnavailable e) {
            System.out.printf("  not measured: %s%n", e.getMessage());
            return null;
        }
    }

    /** {@code wharf deploy run bench bench --wait}, from the process's start to its exit; answers the wall ms. */
    private static long cli(Path jar, String bootstrapServers, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "deploy", "run", APP, ENV, "--wait", "--timeout", "5m").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WHARF_BOOTSTRAP_SERVERS", bootstrapServers);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        long start = System.nanoTime();
        Process p = builder.start();
        children.add(p);
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        children.remove(p);
        if (p.isAlive() || p.exitValue() != 0) {
            throw new WharfUnavailable("wharf deploy run exited with " + (p.isAlive() ? "no status" : "status " + p.exitValue())
                    + " (see " + log + ")");
        }
        return wallMs;
    }

    private interface Step {
        /** Answers {wall ms, CPU ms}. */
        long[] run() throws Exception;
    }

    /** One ansible-playbook run, timed from its start to its exit; answers {wall ms, its CPU ms (and its children's)}. */
    private static long[] ansible(Path work, Path ansibleDir, Path playbook, Map<String, Object> vars, String release, int run)
            throws Exception {
        Map<String, Object> runVars = new LinkedHashMap<>(vars);
        runVars.put("release", release);
        Path varsFile = ansibleDir.resolve("vars.json");
        Files.writeString(varsFile, WharfJson.MAPPER.writeValueAsString(runVars));
        Path controlDir = Files.createDirectories(ansibleDir.resolve("cp-" + run));
        Path log = ansibleDir.resolve("run-" + run + ".log");
        Path cpu = ansibleDir.resolve("cpu-" + run + ".txt");
        // bash's `times` gives the CPU of ansible-playbook and its forks (the ssh masters, detached, are not counted)
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "ansible-playbook \"$@\"; status=$?; times > " + cpu + "; exit $status",
                "bash", "-i", ansibleDir.resolve("inventory.ini").toString(), "-e", "@" + varsFile, playbook.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ANSIBLE_CONFIG", ansibleDir.resolve("ansible.cfg").toString());
        builder.environment().put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlDir.toString());
        builder.environment().put("ANSIBLE_PIPELINING", Boolean.FALSE.equals(vars.get("gather")) ? "True" : "False");
        builder.environment().put("ANSIBLE_NOCOLOR", "1");
        long start = System.nanoTime();
        Process p = builder.start();
        children.add(p);
        int status = p.waitFor();
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        children.remove(p);
        closeControlMasters(controlDir);
        String output = Files.readString(log);
        Matcher recap = RECAP.matcher(output);
        int hosts = 0;
        while (recap.find()) {
            hosts++;
            if (!recap.group(2).equals("0") || !recap.group(3).equals("0")) {
                throw new IllegalStateException("ansible-playbook: host " + recap.group(1) + " unreachable=" + recap.group(2) + " failed="
                        + recap.group(3) + " (see " + log + ")");
            }
        }
        if (status != 0 || hosts == 0) {
            throw new IllegalStateException("ansible-playbook exited with status " + status + " (see " + log + ")");
        }
        return new long[] {wallMs, childrenCpuMillis(Files.readString(cpu))};
    }

    /** The second line of bash's {@code times}: {@code 1m2.345s 0m0.678s}, the children's user and system time. */
    private static long childrenCpuMillis(String times) {
        List<String> lines = times.lines().toList();
        Matcher m = Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s").matcher(lines.get(lines.size() - 1));
        if (!m.find()) {
            return -1;
        }
        double seconds = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2)) + Integer.parseInt(m.group(3)) * 60
                + Double.parseDouble(m.group(4));
        return Math.round(seconds * 1000);
    }

    /** Ends the run's ControlPersist masters, so that no run starts with another's connections open. */
    private static void closeControlMasters(Path controlDir) throws IOException, InterruptedException {
        try (var sockets = Files.list(controlDir)) {
            for (Path socket : sockets.toList()) {
                Process p = new ProcessBuilder("ssh", "-o", "ControlPath=" + socket, "-O", "exit", "bench")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * One {@code wharf deploy run bench bench --wait}: Deploy sent, the deploy events followed by correlation
     * until DeployCompleted (answered) or another end (thrown). The reader is set up before the clock starts.
     */
    private static WharfDeploy wharf(KafkaTestClient kafka, String bootstrapServers, Process service, Path serviceLog) throws Exception {
        try (KafkaConsumer<String, byte[]> events = TopicTail.atEnd(bootstrapServers, Topic.DEPLOY_EVENTS.topicName(), "deploy-service")) {
            Duration cpuBefore = cpu(service);
            long[] machineBefore = machineTicks();
            long start = System.nanoTime();
            Envelope sent = kafka.send(Messages.DEPLOY, DeployTarget.key(APP, ENV), new Deploy(APP, ENV, REF, false, List.of(), false));
            long deadline = start + Duration.ofMinutes(5).toNanos();
            Map<String, List<Long>> stepMillis = new LinkedHashMap<>();
            // by the events' own times (written by the deploy-service), from the Deploy's: when each step's first
            // host started it and its last host finished it
            Map<String, long[]> stepSpan = new LinkedHashMap<>();
            long startedMs = -1;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(20))) {
                    Envelope envelope = KafkaTestClient.envelope(record);
                    if (!sent.correlationId().equals(envelope.correlationId())) {
                        continue;
                    }
                    String type = envelope.type();
                    long at = Duration.between(sent.time(), envelope.time()).toMillis();
                    if (Messages.STEP_STARTED.is(type)) {
                        long[] span = stepSpan.computeIfAbsent(Messages.STEP_STARTED.read(envelope).step(), k -> new long[] {at, at});
                        span[0] = Math.min(span[0], at);
                    } else if (Messages.STEP_FINISHED.is(type)) {
                        var step = Messages.STEP_FINISHED.read(envelope);
                        stepMillis.computeIfAbsent(step.step(), k -> new ArrayList<>()).add(step.durationMillis());
                        long[] span = stepSpan.computeIfAbsent(step.step(), k -> new long[] {at, at});
                        span[1] = Math.max(span[1], at);
                    } else if (Messages.DEPLOY_STARTED.is(type)) {
                        startedMs = (System.nanoTime() - start) / 1_000_000;
                    }
                    boolean end = Messages.DEPLOY_COMPLETED.is(type) || Messages.DEPLOY_FAILED.is(type)
                            || Messages.ROLLED_BACK.is(type) || Messages.DEPLOY_PLANNED.is(type)
                            || Messages.DEPLOY_COMMAND_REJECTED.is(type);
                    if (!end) {
                        continue; // DeployStarted, StepStarted, StepFinished: the CLI's --wait waits for the end too
                    }
                    long wallMs = (System.nanoTime() - start) / 1_000_000;
                    double cpuSeconds = (cpu(service).toNanos() - cpuBefore.toNanos()) / 1e9;
                    if (!Messages.DEPLOY_COMPLETED.is(type)) {
                        throw new WharfUnavailable("Deploy ended with " + type + " after " + wallMs + " ms: "
                                + new String(envelope.data(), StandardCharsets.UTF_8));
                    }
                    long[] machineAfter = machineTicks();
                    StringBuilder where = new StringBuilder("  wharf, where the time goes: the machine's cores busy "
                            + String.format(Locale.ROOT, "%.1f of %.1f core-seconds",
                            (machineAfter[0] - machineBefore[0]) / 100.0, (machineAfter[1] - machineBefore[1]) / 100.0)
                            + " (the deploy-service " + String.format(Locale.ROOT, "%.1f", cpuSeconds)
                            + "); DeployStarted read at " + startedMs
                            + " ms; per step, median/max over the hosts (ms):");
                    stepMillis.forEach((step, millis) -> {
                        List<Long> sorted = millis.stream().sorted().toList();
                        where.append(' ').append(step).append(' ').append(sorted.get(sorted.size() / 2)).append('/')
                                .append(sorted.get(sorted.size() - 1));
                    });
                    where.append("\n  wharf, timeline (ms after the Deploy, by the events' times; first host's start..last host's end):");
                    stepSpan.forEach((step, span) -> where.append(' ').append(step).append(' ').append(span[0]).append("..").append(span[1]));
                    where.append("; ").append(type.substring(type.lastIndexOf('.', type.length() - 4) + 1)).append(" written at ")
                            .append(at).append(", read at ").append(wallMs);
                    System.out.println(where);
                    return new WharfDeploy(Messages.DEPLOY_COMPLETED.read(envelope), wallMs, cpuSeconds);
                }
                if (!service.isAlive()) {
                    throw new WharfUnavailable("the deploy-service exited with status " + service.exitValue() + " (see " + serviceLog + ")");
                }
            }
            throw new WharfUnavailable("no end of the deploy within 5 minutes (see " + serviceLog + ")");
        }
    }

    /** The whole machine's busy and total CPU ticks (USER_HZ, 100 a second) so far, from /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    /** The deploy-service's CPU time so far (user and system, all its threads), from /proc. */
    private static Duration cpu(Process service) {
        return service.toHandle().info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for the deploy-service"));
    }

    /** The inventory of the bench application: every host pinned by the SHA256 fingerprint ssh-keygen printed. */
    private static Map<String, Object> inventory(OpenSshHosts hosts, Path repository, Path root, Path restart, String healthUrl) {
        String prefix = "wharf.deploy.applications." + APP + ".";
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(prefix + "repository", repository.toString());
        p.put(prefix + "root", root.toString());
        p.put(prefix + "keep-releases", KEEP);
        p.put(prefix + "shared", List.of(".env"));
        p.put(prefix + "migrate", "./migrate.sh");
        p.put(prefix + "restart.manager", "command");
        p.put(prefix + "restart.command", restart.toString());
        p.put(prefix + "restart.services", List.of("app"));
        p.put(prefix + "health.url", healthUrl);
        p.put(prefix + "health.expect-status", 200);
        p.put(prefix + "health.retries", 1);
        p.put(prefix + "health.interval", "1s");
        p.put(prefix + "health.from", "host");
        p.put(prefix + "serial", List.of("100%"));
        p.put(prefix + "max-fail-percentage", 0);
        p.put(prefix + "environments." + ENV + ".ref", REF);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (OpenSshHosts.Host host : hosts.hosts()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("address", "127.0.0.1");
            entry.put("port", host.port());
            entry.put("user", "root");
            entry.put("host-key", List.of(host.sha256()));
            entry.put("private-key-file", hosts.clientKey().toString());
            entries.add(entry);
        }
        p.put(prefix + "environments." + ENV + ".hosts", entries);
        return p;
    }

    /** The inventory, known_hosts and configuration of the Ansible side, in {@code work/ansible}. */
    private static Path ansibleFiles(Path work, OpenSshHosts hosts, int forks) throws IOException {
        Path dir = work.resolve("ansible");
        Folders.deleteRecursively(dir);
        Files.createDirectories(dir.resolve("tmp"));
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, hosts.knownHosts());
        StringBuilder inventory = new StringBuilder("[bench]\n");
        for (OpenSshHosts.Host host : hosts.hosts()) {
            inventory.append(host.name()).append(" ansible_host=127.0.0.1 ansible_port=").append(host.port()).append('\n');
        }
        inventory.append("\n[bench:vars]\nansible_user=root\nansible_ssh_private_key_file=").append(hosts.clientKey())
                .append("\nansible_python_interpreter=/usr/bin/python3\n");
        Files.writeString(dir.resolve("inventory.ini"), inventory);
        Files.writeString(dir.resolve("ansible.cfg"), String.join("\n",
                "[defaults]",
                "forks = " + forks,
                "host_key_checking = True",
                "retry_files_enabled = False",
                "interpreter_python = /usr/bin/python3",
                "local_tmp = " + dir.resolve("tmp"),
                "",
                "[ssh_connection]",
                // Ansible's own ssh_args, and the known_hosts file of the bench, checked strictly
                "ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=" + knownHosts
                        + " -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes",
                ""));
        return dir;
    }

    /**
     * The repository deployed: a bare repository with an application of 200 small files and its
     * {@code migrate.sh} (which records each run in shared/migrations.log), at two commits: {@code v1} (the
     * earlier releases) and {@code main}. Made once and kept; answers main's commit. Packed, as a repository
     * that receives pushes or is served by a forge is: a local clone of loose objects would copy each one
     * (about 210 files a host, 0.2 core-seconds a deploy of 16 hosts here, for both sides).
     */
    private static String prepareRepository(Path work, Path repository) throws Exception {
        if (!Files.exists(repository.resolve("HEAD"))) {
            Path source = work.resolve("app-source");
            Folders.deleteRecursively(source);
            Files.createDirectories(source.resolve("src"));
            git(source, "init", "--quiet", "--initial-branch=" + REF);
            for (int i = 0; i < 200; i++) {
                Files.writeString(source.resolve("src/module" + i + ".py"), ("# module " + i + "\n" + "VALUE = " + i + "\n").repeat(20));
            }
            Path migrate = source.resolve("migrate.sh");
            Files.writeString(migrate, "#!/bin/sh\n# The bench application's migration: records that it ran, in which release and at which commit.\n"
                    + "set -e\necho \"$(basename \"$(pwd)\") $(git rev-parse HEAD)\" >> ../../shared/migrations.log\n");
            Files.setPosixFilePermissions(migrate, PosixFilePermissions.fromString("rwxr-xr-x"));
            git(source, "add", "-A");
            git(source, "-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "--quiet", "-m", "v1");
            git(source, "tag", "v1");
            Files.writeString(source.resolve("src/module0.py"), "# module 0, v2\nVALUE = 0\n");
            git(source, "-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "--quiet", "-am", "v2");
            git(work, "clone", "--quiet", "--bare", source.toString(), repository.toString());
            Folders.deleteRecursively(source);
        }
        if (!git(repository, "count-objects").startsWith("0 objects")) { // a work folder of an earlier version
            git(repository, "repack", "-a", "-d", "-q");
            git(repository, "prune-packed");
        }
        return git(repository, "rev-parse", REF).strip();
    }

    /** The restart command: records, per restarted service, which release {@code current} was then. */
    private static Path restartScript(Path bin, Path root) throws IOException {
        Path script = bin.resolve("restart.sh");
        Files.writeString(script, "#!/bin/sh\n# Restarts a service of the bench application: here, records which release is current.\n"
                + "echo \"$1 $(readlink " + root.resolve("current") + ")\" >> " + root.resolve("shared/restarts.log") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** What every host holds before a deploy: three releases of v1, current on the last, shared/.env. */
    private static Path template(Path work, Path repository, Path root) throws Exception {
        Path template = work.resolve("template/app");
        Folders.deleteRecursively(work.resolve("template"));
        Path first = template.resolve("releases/" + SEEDED.get(0));
        Files.createDirectories(template.resolve("releases"));
        Files.createDirectories(template.resolve("shared"));
        git(work, "clone", "--quiet", "--no-checkout", "--", repository.toString(), first.toString());
        git(first, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", "v1");
        StringBuilder migrations = new StringBuilder();
        String v1 = git(repository, "rev-parse", "v1").strip();
        for (String release : SEEDED.subList(1, SEEDED.size())) {
            run(List.of("cp", "-a", first.toString(), template.resolve("releases/" + release).toString()));
        }
        for (String release : SEEDED) {
            Files.createSymbolicLink(template.resolve("releases/" + release + "/.env"), root.resolve("shared/.env"));
            migrations.append(release).append(' ').append(v1).append('\n');
        }
        Files.writeString(template.resolve("shared/.env"), "APP_SETTING=bench\n");
        Files.writeString(template.resolve("shared/migrations.log"), migrations);
        Files.createSymbolicLink(template.resolve("current"), Path.of("releases/" + SEEDED.get(SEEDED.size() - 1)));
        return template;
    }

    /** Puts every host back to the template (outside the timed windows). */
    private static void reset(OpenSshHosts hosts, Path template) throws Exception {
        StringBuilder script = new StringBuilder("set -e");
        for (OpenSshHosts.Host host : hosts.hosts()) {
            Path app = host.box().resolve("app");
            script.append("; rm -rf '").append(app).append("'; cp -a '").append(template).append("' '").append(app).append('\'');
        }
        run(List.of("sh", "-c", script.toString()));
    }

    /** Every host deployed: current on the release, at the commit, .env linked, migrated once, restarted; one health request each. */
    private static void verify(OpenSshHosts hosts, String release, String commit, int healthRequests, String side) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (OpenSshHosts.Host host : hosts.hosts()) {
            Path app = host.box().resolve("app");
            Path dir = app.resolve("releases/" + release);
            String problem = null;
            if (!Files.isSymbolicLink(app.resolve("current")) || !Files.readSymbolicLink(app.resolve("current")).toString().equals("releases/" + release)) {
                problem = "current is not releases/" + release;
            } else if (!Files.readString(dir.resolve(".git/HEAD")).strip().equals(commit)) {
                problem = "the release is not at " + commit;
            } else if (!Files.isSymbolicLink(dir.resolve(".env"))
                    || !Files.readSymbolicLink(dir.resolve(".env")).equals(hosts.mountPoint().resolve("app/shared/.env"))) {
                problem = ".env is not linked to shared/.env";
            } else if (Files.readAllLines(app.resolve("shared/migrations.log")).stream().filter(l -> l.startsWith(release + " ")).count() != 1) {
                problem = "the migration did not run once in the release";
            } else if (!Files.exists(app.resolve("shared/restarts.log"))
                    || !Files.readString(app.resolve("shared/restarts.log")).contains("app releases/" + release + "\n")) {
                problem = "app was not restarted on the release";
            } else if (listReleases(app).size() != SEEDED.size() + 1) {
                problem = "releases " + listReleases(app) + ", expected the " + SEEDED.size() + " earlier ones and " + release;
            }
            if (problem != null) {
                wrong.add(host.name() + ": " + problem);
            }
        }
        if (healthRequests != hosts.hosts().size()) {
            wrong.add(healthRequests + " health requests, expected one per host (" + hosts.hosts().size() + ")");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(side + " deploy of " + release + " not as expected: " + String.join("; ", wrong));
        }
    }

    private static List<String> listReleases(Path app) throws IOException {
        try (var entries = Files.list(app.resolve("releases"))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** bench/deploy/deploy.yml, from the repository's root (where run-deploy.sh runs) or from bench/. */
    private static Path playbook() {
        for (Path candidate : List.of(Path.of("bench/deploy/deploy.yml"), Path.of("deploy/deploy.yml"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("bench/deploy/deploy.yml not found: run from the repository's root (bench/run-deploy.sh does)");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a command to its end; fails on a non-zero exit with its output. Returns its standard output and error. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(p);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with status " + p.exitValue() + ": " + out.strip());
            }
            return out;
        } finally {
            children.remove(p);
        }
    }

    private static void stop(Process service) throws InterruptedException {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly();
            service.waitFor(10, TimeUnit.SECONDS);
        }
        children.remove(service);
    }

    private static void stopChildren() {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        children.clear();
    }
}
