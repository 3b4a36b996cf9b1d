package org.wharf.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.wharf.cli.local.sample.SampleDeploy;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Connection;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.infra.StateDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf local up}: broker, PostgreSQL, S3 and the five services in this process. */
@Command(name = "local", description = "Run the whole platform on this machine.", subcommands = LocalCommand.Up.class)
public class LocalCommand {

    @Command(name = "up", description = "Start a broker, PostgreSQL, an S3 server and the five services in this process, "
            + "all on 127.0.0.1, with a sample application to deploy (an SSH host in this process); Ctrl-C stops everything. "
            + "Everything is kept in --data-dir: a later start finds every deposit, backup, schedule and release again, "
            + "however this one stopped (Ctrl-C, SIGTERM, kill -9).")
    public static class Up implements Callable<Integer> {

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

        public Up(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            for (Path file : configFiles) {
                if (!Files.isReadable(file)) {
                    throw new UsageException("--config " + file + ": no such readable file");
                }
            }
            long start = System.nanoTime();
            Path work = dataDir != null ? dataDir : cli.home().resolve("local");
            StateDirectory state;
            try {
                state = StateDirectory.lock(work);
            } catch (StateDirectory.InUseException | UncheckedIOException e) {
                throw new UsageException(e.getMessage());
            }
            LocalInfrastructure infrastructure;
            boolean firstStart;
            try {
                OldRuns.remove(cli.home().resolve("local")).ifPresent(cli.terminal()::line);
                if (fresh) {
                    state.empty();
                    SampleDeploy.forgetReleases(state.root());
                }
                firstStart = state.isEmpty();
                infrastructure = LocalInfrastructure.start(new LocalInfrastructure.Ports(kafkaPort, postgresPort, s3Port), state);
            } catch (RuntimeException e) {
                state.close();
                throw new UsageException("could not start the local infrastructure (is a port taken? see --kafka-port, "
                        + "--postgres-port, --s3-port): " + org.wharf.common.util.Reasons.of(e));
            }
            SampleDeploy sample;
            try {
                sample = SampleDeploy.start(state.root(), sshPort);
            } catch (RuntimeException e) {
                infrastructure.close();
                state.close();
                throw new UsageException("could not start the sample deploy (is --ssh-port taken? is git installed?): "
                        + org.wharf.common.util.Reasons.of(e));
            }
            LocalStack stack;
            try {
                stack = LocalStack.start(infrastructure, configFiles, Map.of(
                        "logging.level.root", "WARN", "logging.level.org.wharf", "INFO",
                        "logging.config", "classpath:logback.xml"), sample.inventoryProperties(), managementPortBase);
            } catch (RuntimeException e) {
                sample.close();
                infrastructure.close();
                state.close();
                throw e;
            }
            new Connection(infrastructure.bootstrapServers(), infrastructure.s3(), LocalInfrastructure.DEPOSITS_BUCKET)
                    .write(cli.home());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cli.terminal().progress("wharf: stopping the services and the local infrastructure...");
                stack.close();
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
            List<LocalStack.Management> management = stack.management();
            for (int i = 0; i < LocalStack.SERVICES.size(); i++) {
                LocalStack.Service s = LocalStack.SERVICES.get(i);
                LocalStack.Management m = management.get(i);
                t.line("service     " + String.format("%-18s", s.name()) + " schema " + String.format("%-10s", s.schema())
                        + " health " + m.health() + "  metrics " + m.metrics());
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
    }
}
