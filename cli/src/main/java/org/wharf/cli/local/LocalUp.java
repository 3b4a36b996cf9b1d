package org.wharf.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import org.wharf.cli.local.sample.SampleDeploy;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Connection;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.infra.LocalControl;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.infra.LocalPostgres;
import org.wharf.common.infra.LocalS3;
import org.wharf.common.infra.StateDirectory;
import org.wharf.common.s3.S3Properties;
import org.wharf.common.util.Reasons;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf local up}: the whole platform on this machine, in this JVM or (--processes) one process per part. */
@Command(name = "up", description = "Start a broker, PostgreSQL, an S3 server and the five services in this process, "
        + "all on 127.0.0.1, with a sample application to deploy (an SSH host in this process); Ctrl-C stops everything. "
        + "Everything is kept in --data-dir: a later start finds every deposit, backup, schedule and release again, "
        + "however this one stopped (Ctrl-C, SIGTERM, kill -9).")
public class LocalUp implements Callable<Integer> {

    /** How long a process of --processes may take to say it is ready. */
    private static final Duration PROCESS_START = Duration.ofMinutes(4);

    private final Cli cli;

    @Option(names = "--config", description = "A configuration file (YAML or properties) read by every service; repeatable.")
    List<Path> configFiles = List.of();
    @Option(names = "--kafka-port", defaultValue = "19092", description = "Kafka's port (default ${DEFAULT-VALUE}).")
    int kafkaPort;
    @Option(names = "--postgres-port", defaultValue = "15432", description = "PostgreSQL's port (default ${DEFAULT-VALUE}).")
    int postgresPort;
    @Option(names = "--s3-port", defaultValue = "19000", description = "The S3 server's port (default ${DEFAULT-VALUE}).")
    int s3Port;
    @Option(names = "--ssh-port", defaultValue = "0", description = "The sample deploy host's SSH port (default: any free port).")
    int sshPort;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the stack keeps its state: the broker's log, "
            + "PostgreSQL's data, the S3 objects, the sample's repository, releases and keys (default $WHARF_HOME/local, "
            + "that is ~/.wharf/local). One stack at a time per folder.")
    Path dataDir;
    @Option(names = "--fresh", description = "Start empty: forget the broker's log, the database, the S3 objects and the "
            + "sample's releases in --data-dir (the sample's repository and SSH keys stay, so its pinned host key does).")
    boolean fresh;
    @Option(names = "--management-port-base", defaultValue = "18081", description = "The services' health and metrics "
            + "ports: this one for the first service, the next ones for the others (default ${DEFAULT-VALUE}; 0: any free ports).")
    int managementPortBase;
    @Option(names = "--processes", description = "Run the broker, the S3 server and each service replica as a process of "
            + "its own (PostgreSQL is one already), as a deployment does; their pids and roles are printed and `wharf local ps` "
            + "lists them. None is restarted if it exits; Ctrl-C stops them all.")
    boolean processes;
    @Option(names = "--replicas", paramLabel = "SERVICE=N", split = ",", description = "With --processes: how many "
            + "processes of each service (default 1 each; 0: none), e.g. checker=2,loader=2,scheduler=2. They share their "
            + "service's consumer group, so they divide its partitions.")
    Map<String, String> replicas = new LinkedHashMap<>();

    public LocalUp(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        for (Path file : configFiles) {
            if (!Files.isReadable(file)) {
                throw new UsageException("--config " + file + ": no such readable file");
            }
        }
        Map<LocalStack.Service, Integer> counts = replicaCounts();
        long start = System.nanoTime();
        Path work = LocalCommand.dataDir(cli, dataDir);
        StateDirectory state;
        try {
            state = StateDirectory.lock(work);
        } catch (StateDirectory.InUseException | UncheckedIOException e) {
            throw new UsageException(e.getMessage());
        }
        LocalInfrastructure infrastructure;
        LocalProcesses children = null;
        boolean firstStart;
        try {
            OldRuns.remove(cli.home().resolve("local")).ifPresent(cli.terminal()::line);
            if (fresh) {
                state.empty();
                SampleDeploy.forgetReleases(state.root());
            }
            firstStart = state.isEmpty();
            if (processes) {
                children = new LocalProcesses(state.root().resolve("logs"));
                infrastructure = infrastructureInProcesses(state, children);
            } else {
                infrastructure = LocalInfrastructure.start(new LocalInfrastructure.Ports(kafkaPort, postgresPort, s3Port), state);
            }
        } catch (RuntimeException e) {
            if (children != null) {
                children.close();
            }
            state.close();
            throw new UsageException("could not start the local infrastructure (is a port taken? see --kafka-port, "
                    + "--postgres-port, --s3-port): " + Reasons.of(e));
        }
        SampleDeploy sample;
        try {
            sample = SampleDeploy.start(state.root(), sshPort);
        } catch (RuntimeException e) {
            if (children != null) {
                children.close();
            }
            infrastructure.close();
            state.close();
            throw new UsageException("could not start the sample deploy (is --ssh-port taken? is git installed?): "
                    + Reasons.of(e));
        }
        Map<String, String> logging = Map.of("logging.level.root", "WARN", "logging.level.org.wharf", "INFO",
                "logging.config", "classpath:logback.xml");
        LocalStack stack = null;
        List<String> serviceLines = new ArrayList<>();
        try {
            if (children != null) {
                serviceLines.addAll(startReplicas(children, counts, infrastructure, logging, sample.inventoryProperties()));
            } else {
                stack = LocalStack.start(infrastructure, configFiles, logging, sample.inventoryProperties(), managementPortBase);
                List<LocalStack.Management> management = stack.management();
                for (int i = 0; i < LocalStack.SERVICES.size(); i++) {
                    LocalStack.Service s = LocalStack.SERVICES.get(i);
                    LocalStack.Management m = management.get(i);
                    serviceLines.add("service     " + String.format("%-18s", s.name()) + " schema " + String.format("%-10s", s.schema())
                            + " health " + m.health() + "  metrics " + m.metrics());
                }
            }
        } catch (RuntimeException e) {
            if (children != null) {
                children.close();
            }
            sample.close();
            infrastructure.close();
            state.close();
            throw children != null ? new UsageException("could not start the services: " + Reasons.of(e)) : e;
        }
        List<LocalProcesses.Entry> others = LocalProcesses.postgres(state.postgres()).stream().toList();
        LocalControl control = null;
        if (children != null) {
            children.writeTable(state.root(), others);
            control = LocalControl.serve(state.root(), control(children, state, infrastructure.postgres()));
        } else {
            new LocalProcesses(state.root().resolve("logs")).writeTable(state.root(), others);
        }
        new Connection(infrastructure.bootstrapServers(), infrastructure.s3(), LocalInfrastructure.DEPOSITS_BUCKET)
                .write(cli.home());
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        LocalStack inProcess = stack;
        LocalProcesses ownProcesses = children;
        LocalControl ownControl = control;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            if (ownControl != null) {
                ownControl.close();
            }
            cli.terminal().progress("wharf: stopping the services and the local infrastructure...");
            if (inProcess != null) {
                inProcess.close();
            }
            if (ownProcesses != null) {
                ownProcesses.close();
            }
            sample.close();
            infrastructure.close();
            state.close();
            try {
                Files.deleteIfExists(cli.home().resolve(Connection.FILE_NAME));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stopped.countDown();
        }, "wharf-local-stop"));

        var t = cli.terminal();
        t.line("Kafka       " + infrastructure.bootstrapServers());
        t.line("PostgreSQL  127.0.0.1:" + infrastructure.postgres().port() + "/" + "wharf (one schema and role per service)");
        t.line("S3          " + infrastructure.s3().getEndpoint() + " (buckets " + LocalInfrastructure.DEPOSITS_BUCKET
                + ", " + LocalInfrastructure.ARCHIVE_BUCKET + ", " + LocalInfrastructure.BACKUPS_BUCKET + ")");
        serviceLines.forEach(t::line);
        if (children != null) {
            t.line("process     " + String.format("%-18s", "wharf-local-up") + " pid " + ProcessHandle.current().pid() + " (this one)");
            others.forEach(o -> t.line("process     " + String.format("%-18s", o.role()) + " pid " + o.pid()));
            // Nothing restarts a process that exits: say so, once, and leave it to the operator (wharf local start).
            Consumer<LocalProcesses.Child> watch = child -> child.process().onExit().thenAccept(p -> {
                if (!stopping.get()) {
                    t.line("wharf: " + child.role() + " (pid " + p.pid() + ") exited with status " + p.exitValue()
                            + "; not restarted (see " + child.log() + "; wharf local start " + child.role() + ")");
                }
            });
            for (LocalProcesses.Child child : children.children()) {
                t.line("process     " + String.format("%-18s", child.role()) + " pid " + child.process().pid() + "  log " + child.log());
                watch.accept(child);
            }
            children.onStart(child -> {
                t.line("wharf: " + child.role() + " started again, pid " + child.process().pid());
                watch.accept(child);
            });
        }
        t.line("ssh host    " + sample.ssh().user() + "@" + sample.ssh().address() + ":" + sample.ssh().port() + " (in this process; "
                + "host key " + sample.ssh().sha256Fingerprint() + ", client key " + sample.ssh().privateKeyFile() + ")");
        t.line("sample app  " + sample.site().url() + " (serves " + sample.root().resolve("current/public") + "; repository "
                + sample.repository() + ")");
        t.line("state       " + state.root() + (firstStart ? " (a first start)" : " (kept from the last run; --fresh starts empty)"));
        t.line("connection  " + cli.home().resolve(Connection.FILE_NAME) + " (other wharf commands read it)");
        t.line("ready in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms; Ctrl-C stops everything");
        t.line("try         wharf deploy run " + SampleDeploy.APPLICATION + " " + SampleDeploy.ENVIRONMENT + " --wait");
        stopped.await();
        return Exit.OK;
    }

    /** What {@code wharf local stop|start|restart ROLE} ask of this stack, answered here; the table kept up to date. */
    private static Function<String, LocalControl.Answer> control(LocalProcesses children, StateDirectory state,
            LocalPostgres postgres) {
        Runnable table = () -> children.writeTable(state.root(), LocalProcesses.postgres(state.postgres()).stream().toList());
        return request -> {
            String[] words = request.split(" ");
            if (words.length != 2) {
                return LocalControl.Answer.refused("not a request: " + request);
            }
            String role = words[1];
            synchronized (children) {
                if (role.equals("postgres")) {
                    if (!words[0].equals("restart")) {
                        return LocalControl.Answer.refused("PostgreSQL can only be restarted (wharf local restart postgres)");
                    }
                    postgres.restart();
                    table.run();
                    return LocalControl.Answer.ok("postgres restarted, pid "
                            + LocalProcesses.postgres(state.postgres()).map(e -> String.valueOf(e.pid())).orElse("?"));
                }
                switch (words[0]) {
                    case "stop", "kill" -> {
                        LocalProcesses.Child child = children.stop(role, words[0].equals("kill"));
                        return LocalControl.Answer.ok(role + " (pid " + child.process().pid() + ") "
                                + (words[0].equals("kill") ? "killed" : "stopped") + ", status " + child.process().exitValue());
                    }
                    case "start", "restart" -> {
                        if (words[0].equals("restart")) {
                            children.stop(role, false);
                        }
                        LocalProcesses.Child child = children.startAgain(role);
                        table.run();
                        return LocalControl.Answer.ok(role + " started, pid " + child.process().pid());
                    }
                    default -> {
                        return LocalControl.Answer.refused("not a request: " + request);
                    }
                }
            }
        };
    }

    /** --replicas, checked: every service named, each count a number from 0 to {@value LocalCommand#LocalCommand.MAX_REPLICAS}. */
    private Map<LocalStack.Service, Integer> replicaCounts() {
        if (!replicas.isEmpty() && !processes) {
            throw new UsageException("--replicas needs --processes (in one process each service runs once)");
        }
        Map<LocalStack.Service, Integer> counts = new LinkedHashMap<>();
        LocalStack.SERVICES.forEach(s -> counts.put(s, 1));
        replicas.forEach((name, count) -> {
            LocalStack.Service service = LocalStack.named(name).orElseThrow(() -> new UsageException("--replicas: no service '"
                    + name + "' (" + String.join(", ", LocalStack.SERVICES.stream().map(LocalStack.Service::schema).toList()) + ")"));
            int n;
            try {
                n = Integer.parseInt(count.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > LocalCommand.MAX_REPLICAS) {
                throw new UsageException("--replicas " + name + "=" + count + ": a number of processes from 0 to " + LocalCommand.MAX_REPLICAS);
            }
            counts.put(service, n);
        });
        return counts;
    }

    /** PostgreSQL in this process (it is a server process of its own already), the broker and S3 each in a JVM of its own. */
    private LocalInfrastructure infrastructureInProcesses(StateDirectory state, LocalProcesses children) {
        LocalPostgres postgres = LocalPostgres.start(postgresPort, state.postgres());
        try {
            String secret = LocalS3.randomSecret();
            LocalProcesses.Child broker = children.start("broker", 768,
                    List.of("broker", Integer.toString(kafkaPort), state.kafka().toString()), Map.of());
            LocalProcesses.Child s3 = children.start("s3", 256,
                    List.of("s3", Integer.toString(s3Port), state.s3().toString()), Map.of(LocalProcess.S3_SECRET_VARIABLE, secret));
            String bootstrap = LocalProcesses.awaitReady(broker, PROCESS_START).get("bootstrap");
            String s3Port = LocalProcesses.awaitReady(s3, PROCESS_START).get("port");
            S3Properties client = new S3Properties();
            client.setEndpoint(URI.create("http://127.0.0.1:" + s3Port));
            client.setAccessKey(LocalS3.ACCESS_KEY);
            client.setSecretKey(secret);
            client.setPathStyle(true);
            // The children are stopped by LocalProcesses.close(); the infrastructure then stops PostgreSQL.
            return LocalInfrastructure.around(postgres, bootstrap, () -> { }, client, () -> { });
        } catch (RuntimeException e) {
            children.close();
            postgres.close();
            throw e;
        }
    }

    /** Every replica of every service, a process each, started together; returns what to print for each. */
    private List<String> startReplicas(LocalProcesses children, Map<LocalStack.Service, Integer> counts,
            LocalInfrastructure infrastructure, Map<String, String> logging, Map<String, Object> inventory) {
        List<LocalProcesses.Child> started = new ArrayList<>();
        int index = 0;
        for (Map.Entry<LocalStack.Service, Integer> count : counts.entrySet()) {
            LocalStack.Service service = count.getKey();
            for (int replica = 1; replica <= count.getValue(); replica++) {
                int port = managementPortBase == 0 ? 0 : managementPortBase + index;
                index++;
                Map<String, Object> properties = LocalStack.properties(infrastructure, service, configFiles, logging, inventory, port);
                // A replica killed with -9 hands its partitions on after 10 s rather than Kafka's default 45 s.
                properties.putIfAbsent("spring.kafka.consumer.properties.session.timeout.ms", "10000");
                properties.putIfAbsent("spring.kafka.consumer.properties.heartbeat.interval.ms", "2000");
                started.add(children.start(service.schema() + "-" + replica, 384, List.of("service", service.schema()),
                        LocalProcesses.springProperties(properties)));
            }
        }
        List<String> lines = new ArrayList<>();
        for (LocalProcesses.Child child : started) {
            String management = LocalProcesses.awaitReady(child, PROCESS_START).get("management");
            LocalStack.Management m = new LocalStack.Management(child.role(), Integer.parseInt(management));
            lines.add("service     " + String.format("%-18s", child.role()) + " health " + m.health() + "  metrics " + m.metrics());
        }
        return lines;
    }
}
