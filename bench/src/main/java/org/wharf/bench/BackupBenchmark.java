package org.wharf.bench;

import static org.wharf.bench.Percentiles.median;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.backup.BackupApplication;
import org.wharf.backup.target.BackupTargets;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.infra.LocalPostgres;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.s3.S3Properties;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.topic.Topic;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * A backup of a pgbench database ({@code pgbench -i -s <scale>}, about 1 GB at scale 70) three ways,
 * in one run: Wharf ({@code wharf backup run --wait}: RunBackup sent → BackupCompleted received, the
 * backup-service running as its own process with a 64 MiB heap and default settings, but for a part size
 * when one is given), {@code pg_dump -Fc -f <file>}, and {@code pg_dump -Fc | gzip | aws s3 cp - s3://...}
 * to the same S3 server. The same pg_dump binary and the same database role for all three; the order
 * of the three turns with each round.
 *
 * <p>The database lives on a PostgreSQL server of its own whose data directory is kept in the work
 * folder, so that it is generated once. The broker, Wharf's own PostgreSQL (the backup-service's
 * catalog) and s3proxy are started in this process, on 127.0.0.1, and stopped at the end.
 *
 * <p>Prints each round, the medians, the ratios (Wharf / pg_dump: goal ≤ 1.1) and the backup-service's
 * peak heap (goal ≤ 64 MiB), and checks every round that the object in the bucket has the size (and
 * the sha256) that BackupCompleted reported. If the service runs out of heap, says where, what became
 * of the process, and what the backup left behind, and exits with status 1.
 *
 * <p>{@code scale} {@code randomN} backs up instead a database whose dump does not compress: one table of N MiB of
 * random {@code bytea} (1 MiB rows, stored uncompressed), generated once in the same kept data directory.
 * Usage: {@code BackupBenchmark [workDir] [scale=70|random1024] [runs=3] [partSize=default] [heapMiB=64] [warmUps=2]}.
 */
public final class BackupBenchmark {

    private static final String WARM_UP_TARGET = "tiny";
    /** The database backed up, and Wharf's target of the same name: {@code pgbench}, or {@code bench_random}. */
    private static String DATABASE = "pgbench";
    private static final String TINY_DATABASE = "bench_tiny";
    private static final String ROLE = "bench_backup";
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)");

    /** Every child process started, so that even an interrupted run leaves none behind. */
    private static final List<Process> children = new CopyOnWriteArrayList<>();

    private record Round(long wharfMs, long startedMs, long serviceMs, long pgDumpMs, long pipeMs, long wharfBytes,
                         long pgDumpBytes, long pipeBytes) {
    }

    /** One Wharf backup: BackupStarted and BackupCompleted received, in ms after RunBackup was sent. */
    private record Backup(BackupCompleted completed, long startedMs, long completedMs) {
    }

    public static void main(String[] args) throws Exception {
        try {
            benchmark(args);
        } catch (ServiceFailure e) {
            System.exit(1); // already reported, with what the service left behind; everything is stopped by now
        }
    }

    private static void benchmark(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-backup").toAbsolutePath();
        String dataset = args.length > 1 ? args[1] : "70";
        int randomMiB = dataset.startsWith("random") ? Integer.parseInt(dataset.substring("random".length())) : 0;
        int scale = randomMiB > 0 ? 0 : Integer.parseInt(dataset);
        if (randomMiB > 0) {
            DATABASE = "bench_random";
        }
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String partSize = args.length > 3 && !args[3].isBlank() && !args[3].equals("default") ? args[3] : null;
        int heapMiB = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int warmUps = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        Files.createDirectories(work);
        Runtime.getRuntime().addShutdownHook(new Thread(BackupBenchmark::stopChildren, "bench-children-stop"));

        Path bin = postgresBin();
        Path pgDump = bin.resolve("pg_dump");
        String tool = run(List.of(pgDump.toString(), "--version"), Map.of()).trim();
        System.out.printf("pg_dump: %s (%s), for all three%n", pgDump, tool);

        Path infraDir = work.resolve("infra");
        Folders.deleteRecursively(infraDir);
        Path serviceLog = work.resolve("backup-service.log");
        Path gcLog = work.resolve("backup-service-gc.log");
        Files.deleteIfExists(serviceLog);
        Files.deleteIfExists(gcLog);
        // The database backed up: a server of its own, its data directory kept for the next run.
        try (LocalPostgres source = LocalPostgres.start(0, work.resolve("pgdata"))) {
            String password = randomMiB > 0 ? prepareRandom(source, randomMiB) : prepare(source, bin, scale, work);
            try (LocalInfrastructure infra = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, infraDir);
                 S3Client s3 = S3Clients.create(infra.s3());
                 KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers())) {
                Map<String, Object> properties = new HashMap<>(infra.serviceProperties("backup"));
                target(properties, DATABASE, DATABASE, source.port(), password);
                target(properties, WARM_UP_TARGET, TINY_DATABASE, source.port(), password);
                properties.put("wharf.backup.pg-dump", pgDump.toString()); // the same binary as the peers'
                if (partSize != null) {
                    properties.put("wharf.backup.part-size", partSize);
                }
                long partBytes = partSize != null ? Long.parseLong(partSize) : new BackupTargets().getPartSize();
                System.out.printf("backup-service: its own process, -Xmx%dm, part size %d MiB (%s)%n", heapMiB, partBytes >> 20,
                        partSize != null ? "wharf.backup.part-size=" + partSize : "default");
                Process service = ServiceProcess.start(BackupApplication.class, BackupApplication.SERVICE_NAME, properties, heapMiB,
                        serviceLog, null, "-Xlog:gc:file=" + gcLog);
                children.add(service);
                try {
                    compare(work, serviceLog, gcLog, service, s3, new JdbcTemplate(infra.postgres().superuser()), infra.s3(),
                            kafka, infra.bootstrapServers(), source.port(), password, pgDump, runs, heapMiB, partBytes, warmUps);
                } finally {
                    stop(service); // before the infrastructure it uses
                }
            }
        } finally {
            stopChildren();
            Folders.deleteRecursively(infraDir);
        }
    }

    private static void compare(Path work, Path serviceLog, Path gcLog, Process service, S3Client s3, JdbcTemplate catalog,
                                S3Properties s3Properties, KafkaTestClient kafka, String bootstrapServers, int port,
                                String password, Path pgDump, int runs, int heapMiB, long partBytes, int warmUps) throws Exception {
        try {
            measure(work, serviceLog, gcLog, service, s3, s3Properties, kafka, bootstrapServers, port, password, pgDump, runs,
                    heapMiB, partBytes, warmUps);
        } catch (ServiceFailure e) {
            System.out.printf("%nRESULT: no figures. %s%n", e.getMessage());
            System.out.printf("backup-service peak heap: %d MiB (sum of the heap pools' peaks; cap %d MiB)%n",
                    ServiceProcess.peakHeapMiB(Files.readString(serviceLog)), heapMiB);
            System.out.printf("backup-service GC log: %s%n", gcSummary(gcLog));
            System.out.printf("left behind: %s%n", leftBehind(s3, catalog));
            throw e;
        }
    }

    private static void measure(Path work, Path serviceLog, Path gcLog, Process service, S3Client s3, S3Properties s3Properties,
                                KafkaTestClient kafka, String bootstrapServers, int port, String password, Path pgDump,
                                int runs, int heapMiB, long partBytes, int warmUps) throws Exception {
        ServiceProcess.awaitStarted(service, serviceLog, Duration.ofMinutes(2));
        // The backup-service is a long-running service: small backups first (JIT, connections, topics).
        for (int i = 0; i < warmUps; i++) {
            BackupCompleted warm = backUp(kafka, bootstrapServers, WARM_UP_TARGET, service, serviceLog, partBytes).completed();
            s3.deleteObject(b -> b.bucket(warm.bucket()).key(warm.key()));
        }

        Path file = work.resolve("pgbench.dump");
        Path awsConfig = work.resolve("aws-config");
        // No secret in this file: only that the S3 server is addressed by path. Credentials go in the environment.
        Files.writeString(awsConfig, "[default]\nregion = " + s3Properties.getRegion() + "\ns3 =\n    addressing_style = path\n");
        String endpoint = s3Properties.getEndpoint().toString();
        String bucket = LocalInfrastructure.BACKUPS_BUCKET;
        List<String> dumpArgs = List.of(pgDump.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--username", ROLE, "--dbname", DATABASE, "--format", "custom", "--no-password");
        String pipeline = "set -o pipefail; \"$PG_DUMP\" --host 127.0.0.1 --port \"$PG_PORT\" --username \"$PG_USER\" "
                + "--dbname \"$PG_DATABASE\" --format custom --no-password | gzip | aws s3 cp - \"s3://$BUCKET/$KEY\" "
                + "--endpoint-url \"$ENDPOINT\" --only-show-errors";
        System.out.printf("peer 1: %s -f %s%n", String.join(" ", dumpArgs), file);
        System.out.printf("peer 2: %s | gzip | aws s3 cp - s3://%s/bench/<round>.dump.gz --endpoint-url %s%n",
                String.join(" ", dumpArgs), bucket, endpoint);
        System.out.printf("(passwords and keys in the environment: PGPASSWORD, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)%n%n");

        List<Round> rounds = new ArrayList<>();
        long[] pgDumpBytes = new long[1];
        System.out.printf("%5s %10s %12s %12s %10s %16s %10s %12s %10s   %s%n", "round", "wharf ms", "(started ms)",
                "(service ms)", "pg_dump ms", "pg_dump|aws ms", "wharf MiB", "pg_dump MiB", "gzip MiB", "order");
        for (int round = 1; round <= runs; round++) {
            int number = round;
            Backup[] backup = new Backup[1];
            long[] pgDump1 = new long[2];
            long[] pipe1 = new long[2];
            // (1) Wharf: RunBackup → BackupCompleted.
            Step wharfStep = () -> {
                backup[0] = backUp(kafka, bootstrapServers, DATABASE, service, serviceLog, partBytes);
                BackupCompleted completed = backup[0].completed();
                checkObject(s3, completed);
                s3.deleteObject(b -> b.bucket(completed.bucket()).key(completed.key()));
            };
            // (2) pg_dump -Fc -f <file>.
            Step pgDumpStep = () -> {
                Files.deleteIfExists(file);
                List<String> toFile = new ArrayList<>(dumpArgs);
                toFile.addAll(List.of("--file", file.toString()));
                long start = System.nanoTime();
                run(toFile, Map.of("PGPASSWORD", password));
                pgDump1[0] = (System.nanoTime() - start) / 1_000_000;
                pgDump1[1] = Files.size(file);
                Files.delete(file);
            };
            // (3) pg_dump -Fc | gzip | aws s3 cp - s3://bucket/key, to the same S3 server.
            Step pipeStep = () -> {
                String key = "bench/round-" + number + "-" + UUID.randomUUID() + ".dump.gz";
                Map<String, String> env = new HashMap<>();
                env.put("PGPASSWORD", password);
                env.put("PG_DUMP", pgDump.toString());
                env.put("PG_PORT", Integer.toString(port));
                env.put("PG_USER", ROLE);
                env.put("PG_DATABASE", DATABASE);
                env.put("BUCKET", bucket);
                env.put("KEY", key);
                env.put("ENDPOINT", endpoint);
                env.put("AWS_ACCESS_KEY_ID", s3Properties.getAccessKey());
                env.put("AWS_SECRET_ACCESS_KEY", s3Properties.getSecretKey());
                env.put("AWS_DEFAULT_REGION", s3Properties.getRegion());
                env.put("AWS_CONFIG_FILE", awsConfig.toString());
                env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("aws-no-credentials").toString());
                env.put("AWS_EC2_METADATA_DISABLED", "true");
                long start = System.nanoTime();
                run(List.of("bash", "-c", pipeline), env);
                pipe1[0] = (System.nanoTime() - start) / 1_000_000;
                pipe1[1] = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
                checkPipeObject(s3, bucket, key, pipe1[1], pgDumpBytes[0]);
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            };
            // The order turns with each round (W P A, P A W, A W P, ...), so that no contender always goes first.
            // (The pipe's object is checked against pg_dump's size: round 1 runs pg_dump before the pipe.)
            List<Step> order = new ArrayList<>(List.of(wharfStep, pgDumpStep, pipeStep));
            Collections.rotate(order, -((round - 1) % 3));
            for (Step step : order) {
                step.run();
                if (step == pgDumpStep) {
                    pgDumpBytes[0] = pgDump1[1];
                }
            }

            BackupCompleted completed = backup[0].completed();
            Round r = new Round(backup[0].completedMs(), backup[0].startedMs(), completed.durationMillis(), pgDump1[0], pipe1[0],
                    completed.size(), pgDump1[1], pipe1[1]);
            rounds.add(r);
            System.out.printf("%5d %10d %12s %12s %10d %16d %10.1f %12.1f %10.1f   %s%n", round, r.wharfMs(),
                    "(" + r.startedMs() + ")", "(" + r.serviceMs() + ")", r.pgDumpMs(), r.pipeMs(),
                    mib(r.wharfBytes()), mib(r.pgDumpBytes()), mib(r.pipeBytes()),
                    order.stream().map(o -> o == wharfStep ? "W" : o == pgDumpStep ? "P" : "A").reduce("", String::concat));
        }
        System.out.printf("(started: BackupStarted received; service: BackupCompleted's own duration, pg_dump started to upload "
                + "completed; order: W wharf, P pg_dump, A pg_dump|gzip|aws)%n");

        long wharf = median(rounds.stream().map(Round::wharfMs).toList());
        long alone = median(rounds.stream().map(Round::pgDumpMs).toList());
        long pipe = median(rounds.stream().map(Round::pipeMs).toList());
        Round last = rounds.get(rounds.size() - 1);
        String gc = gcSummary(gcLog);
        long peak = ServiceProcess.peakHeapMiB(Files.readString(serviceLog));
        System.out.printf("%nmedians of %d (sizes: the last round's; in every round Wharf's object had the size and sha256 "
                + "BackupCompleted reported, and the peer's inflated to a whole dump)%n", runs);
        String line = "  %-28s %8d ms   %,14d bytes (%.1f MiB)%n";
        System.out.printf(line, "wharf backup run --wait", wharf, last.wharfBytes(), mib(last.wharfBytes()));
        System.out.printf(line, "pg_dump -Fc -f file", alone, last.pgDumpBytes(), mib(last.pgDumpBytes()));
        System.out.printf(line, "pg_dump -Fc | gzip | aws s3", pipe, last.pipeBytes(), mib(last.pipeBytes()));
        System.out.printf("  (of which the service's own duration: %d ms)%n",
                median(rounds.stream().map(Round::serviceMs).toList()));
        System.out.printf("ratios: wharf / pg_dump %.2fx (goal <= 1.1x), wharf / (pg_dump|gzip|aws) %.2fx%n",
                (double) wharf / alone, (double) wharf / pipe);
        System.out.printf("backup-service peak heap: %d MiB (sum of the heap pools' peaks; cap %d MiB, goal <= 64 MiB)%n",
                peak, heapMiB);
        System.out.printf("backup-service GC log: %s%n", gc);
        if (Files.readString(serviceLog).contains("OutOfMemoryError")) {
            System.out.printf("WARNING: the backup-service's log has an OutOfMemoryError (see %s)%n", serviceLog);
        }
    }

    /**
     * One {@code wharf backup run --wait}: RunBackup sent, the backup events followed by correlation until
     * BackupCompleted (returned) or BackupFailed (thrown). The reader is set up before the clock starts.
     */
    private static Backup backUp(KafkaTestClient kafka, String bootstrapServers, String target, Process service,
                                 Path serviceLog, long partBytes) throws IOException {
        String topic = Topic.BACKUP_EVENTS.topicName();
        try (KafkaConsumer<String, byte[]> events = TopicTail.atEnd(bootstrapServers, topic, "backup-service")) {
            long start = System.nanoTime();
            Envelope run = kafka.send(Messages.RUN_BACKUP, target, new RunBackup(target));
            long deadline = start + Duration.ofMinutes(60).toNanos(); // the CLI's default --timeout
            long nextCheck = 0;
            long startedMs = -1;
            long outOfMemoryAt = -1;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(50))) {
                    Envelope envelope = KafkaTestClient.envelope(record);
                    if (!run.correlationId().equals(envelope.correlationId())) {
                        continue;
                    }
                    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                    if (Messages.BACKUP_STARTED.is(envelope)) {
                        startedMs = elapsedMs;
                        continue;
                    }
                    if (!Messages.BACKUP_COMPLETED.is(envelope) && !Messages.BACKUP_FAILED.is(envelope)
                            && !Messages.BACKUP_COMMAND_REJECTED.is(envelope)) {
                        continue; // on the way (BackupProgress, say): the CLI's --wait waits for the end too
                    }
                    String data = new String(envelope.data(), StandardCharsets.UTF_8);
                    if (outOfMemoryAt >= 0) {
                        throw new ServiceFailure("backup of " + target + ": " + outOfMemory(serviceLog, partBytes, outOfMemoryAt, service)
                                + "; then, after " + elapsedMs + " ms, " + envelope.type() + ": " + data);
                    }
                    if (!Messages.BACKUP_COMPLETED.is(envelope)) {
                        throw new ServiceFailure("the backup of " + target + " ended with " + envelope.type() + ": " + data);
                    }
                    return new Backup(Messages.BACKUP_COMPLETED.read(envelope), startedMs, elapsedMs);
                }
                if (System.nanoTime() > nextCheck) {
                    nextCheck = System.nanoTime() + 1_000_000_000L;
                    String log = Files.exists(serviceLog) ? Files.readString(serviceLog) : "";
                    if (outOfMemoryAt < 0 && log.contains("OutOfMemoryError")) {
                        // Wait a little for what the service does next (a BackupFailed? an exit?), then report it all.
                        outOfMemoryAt = (System.nanoTime() - start) / 1_000_000;
                        deadline = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(20).toNanos());
                    }
                    if (outOfMemoryAt < 0 && !service.isAlive()) {
                        throw new ServiceFailure("the backup-service exited with status " + service.exitValue() + " during the backup of "
                                + target + " (see " + serviceLog + ")");
                    }
                }
            }
            if (outOfMemoryAt >= 0) {
                throw new ServiceFailure("backup of " + target + ": " + outOfMemory(serviceLog, partBytes, outOfMemoryAt, service)
                        + "; no BackupCompleted or BackupFailed within 20 s after it (the CLI would wait for its --timeout)");
            }
            throw new ServiceFailure("the backup of " + target + " did not end within 60 minutes");
        }
    }

    /** What an OutOfMemoryError in the backup-service looked like: where, the part size, what became of the process. */
    private static String outOfMemory(Path serviceLog, long partBytes, long atMs, Process service) throws IOException {
        String log = Files.readString(serviceLog);
        int oom = log.indexOf("OutOfMemoryError");
        int from = log.lastIndexOf('\n', Math.max(0, oom - 1));
        int to = log.indexOf('\n', oom);
        String line = log.substring(from + 1, to < 0 ? log.length() : to).trim();
        Matcher frame = Pattern.compile("\\s+at (org\\.wharf\\.[^\\s]+)").matcher(log.substring(oom));
        String where = frame.find() ? " at " + frame.group(1) : "";
        return "the backup-service ran out of heap with part size " + (partBytes >> 20) + " MiB (seen " + atMs
                + " ms after RunBackup): " + line + where
                + (log.contains("Stopping container due to an Error") ? "; its Kafka listener container stopped" : "")
                + (service.isAlive() ? "; the process is still running" : "; the process exited with status " + service.exitValue())
                + " (see " + serviceLog + ")";
    }

    private interface Step {
        void run() throws Exception;
    }

    /** What a failed backup left: the catalog's rows still running, and multipart uploads still open. */
    private static String leftBehind(S3Client s3, JdbcTemplate catalog) {
        List<String> running = catalog.queryForList("select target || ' ' || key || (case when upload_id is null then '' "
                + "else ' (upload id recorded)' end) from backup.backup where status = 'running' order by started_at", String.class);
        List<String> uploads = s3.listMultipartUploads(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET)).uploads().stream()
                .map(u -> u.key()).toList();
        return "catalog rows still 'running': " + (running.isEmpty() ? "none" : String.join(", ", running))
                + "; multipart uploads still open in " + LocalInfrastructure.BACKUPS_BUCKET + ": "
                + (uploads.isEmpty() ? "none" : String.join(", ", uploads));
    }

    /** The backup-service failed the benchmark: it died, ran out of heap, or a backup failed. */
    private static final class ServiceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServiceFailure(String message) {
            super(message);
        }
    }

    /**
     * The peer's object is a gzip of a whole custom-format dump: it starts with pg_dump's "PGDMP" and is as
     * long as pg_dump's file, give or take 1% (two dumps of the same data differ by a few bytes).
     */
    private static void checkPipeObject(S3Client s3, String bucket, String key, long size, long pgDumpBytes) throws IOException {
        long inflated = 0;
        byte[] magic = new byte[5];
        try (InputStream in = new GZIPInputStream(s3.getObject(b -> b.bucket(bucket).key(key)), 1 << 16)) {
            int head = in.readNBytes(magic, 0, magic.length);
            inflated = head;
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                inflated += n;
            }
        }
        if (!new String(magic, StandardCharsets.US_ASCII).equals("PGDMP") || Math.abs(inflated - pgDumpBytes) > pgDumpBytes / 100) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " (" + size + " bytes) is not a gzip of a whole custom-format "
                    + "dump: it inflates to " + inflated + " bytes starting with '" + new String(magic, StandardCharsets.US_ASCII)
                    + "', pg_dump's file has " + pgDumpBytes);
        }
    }

    /** The sanity check: the object in the bucket has the size (and sha256) BackupCompleted reported. */
    private static void checkObject(S3Client s3, BackupCompleted completed) throws Exception {
        long size = s3.headObject(b -> b.bucket(completed.bucket()).key(completed.key())).contentLength();
        if (size != completed.size()) {
            throw new IllegalStateException("s3://" + completed.bucket() + "/" + completed.key() + " has " + size
                    + " bytes, BackupCompleted said " + completed.size());
        }
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long read = 0;
        try (InputStream in = s3.getObject(b -> b.bucket(completed.bucket()).key(completed.key()))) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                read += n;
            }
        }
        String digest = HexFormat.of().formatHex(sha256.digest());
        if (read != completed.size() || !digest.equals(completed.sha256())) {
            throw new IllegalStateException("s3://" + completed.bucket() + "/" + completed.key() + ": read " + read
                    + " bytes with sha256 " + digest + ", BackupCompleted said " + completed.size() + " bytes, " + completed.sha256());
        }
    }

    /**
     * The pgbench database (generated once: the data directory is kept), a tiny one for the warm-up,
     * and the role that backs them up (read-only, a new password each run). Returns the password.
     */
    private static String prepare(LocalPostgres source, Path bin, int scale, Path work) throws Exception {
        JdbcTemplate admin = new JdbcTemplate(source.superuser());
        admin.execute("create table if not exists bench_pgbench (scale int not null, init_ms bigint not null, "
                + "initialized_at timestamptz not null default now())");
        List<Long> done = admin.queryForList("select init_ms from bench_pgbench where scale = ?", Long.class, scale);
        if (createDatabases(admin)) {
            done = List.of(); // a new database: pgbench -i again
        }
        if (done.isEmpty()) {
            System.out.printf("generating the pgbench database (pgbench -i -s %d)...%n", scale);
            admin.update("delete from bench_pgbench");
            long start = System.nanoTime();
            Path initLog = work.resolve("pgbench-init.log");
            ProcessBuilder init = new ProcessBuilder(bin.resolve("pgbench").toString(), "-i", "-s", Integer.toString(scale),
                    "--quiet", "--host", "127.0.0.1", "--port", Integer.toString(source.port()), "--username", "postgres", DATABASE)
                    .redirectErrorStream(true).redirectOutput(initLog.toFile());
            Process p = init.start();
            children.add(p);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pgbench -i failed (see " + initLog + ")");
            }
            children.remove(p);
            long initMs = (System.nanoTime() - start) / 1_000_000;
            admin.update("insert into bench_pgbench (scale, init_ms) values (?, ?)", scale, initMs);
            System.out.printf("pgbench -i -s %d took %.1f s (kept in %s for the next run)%n", scale, initMs / 1000.0,
                    work.resolve("pgdata"));
        } else {
            System.out.printf("pgbench database of scale %d kept from an earlier run (its pgbench -i took %.1f s)%n", scale,
                    done.get(0) / 1000.0);
        }
        String password = warmUpDatabaseAndRole(source, admin);

        JdbcTemplate pgbench = database(source, DATABASE);
        Long size = pgbench.queryForObject("select pg_database_size(current_database())", Long.class);
        Long accounts = pgbench.queryForObject("select count(*) from pgbench_accounts", Long.class); // also warms the cache
        System.out.printf("database %s: %,.0f MiB, %,d rows in pgbench_accounts, on PostgreSQL %s (port %d)%n", DATABASE,
                mib(size), accounts, pgbench.queryForObject("show server_version", String.class), source.port());
        return password;
    }

    /**
     * A database whose dump does not compress: {@code mib} rows of 1 MiB of random bytes, stored uncompressed
     * (generated once; the data directory is kept), the warm-up's tiny database, and the backup role.
     */
    private static String prepareRandom(LocalPostgres source, int mib) throws Exception {
        JdbcTemplate admin = new JdbcTemplate(source.superuser());
        createDatabases(admin);
        JdbcTemplate random = database(source, DATABASE);
        random.execute("create table if not exists noise (id int primary key, data bytea not null)");
        random.execute("alter table noise alter column data set storage external"); // no TOAST compression try
        Long rows = random.queryForObject("select count(*) from noise", Long.class);
        if (rows == null || rows != mib) {
            System.out.printf("generating %d MiB of random bytea...%n", mib);
            long start = System.nanoTime();
            random.execute("truncate noise");
            SplittableRandom noise = new SplittableRandom(42);
            byte[] row = new byte[1 << 20];
            for (int i = 0; i < mib; i++) {
                for (int b = 0; b < row.length; b += 8) {
                    long value = noise.nextLong();
                    for (int k = 0; k < 8; k++) {
                        row[b + k] = (byte) (value >>> (8 * k));
                    }
                }
                random.update("insert into noise (id, data) values (?, ?)", i, row);
            }
            System.out.printf("generated in %.1f s (kept in the data directory for the next run)%n", (System.nanoTime() - start) / 1e9);
        }
        String password = warmUpDatabaseAndRole(source, admin);
        Long size = random.queryForObject("select pg_database_size(current_database())", Long.class);
        random.queryForObject("select sum(length(data)) from noise", Long.class); // also warms the cache
        System.out.printf("database %s: %,.0f MiB of random bytea (%d rows), on PostgreSQL %s (port %d)%n", DATABASE, mib(size), mib,
                random.queryForObject("show server_version", String.class), source.port());
        return password;
    }

    /** Creates the database backed up and the warm-up's, where missing; whether the first was. */
    private static boolean createDatabases(JdbcTemplate admin) {
        boolean created = false;
        for (String database : List.of(DATABASE, TINY_DATABASE)) {
            Integer exists = admin.queryForObject("select count(*) from pg_database where datname = ?", Integer.class, database);
            if (exists == null || exists == 0) {
                admin.execute("create database " + database);
                created |= database.equals(DATABASE);
            }
        }
        return created;
    }

    /** The warm-up's tiny database's rows, and the role that backs both up (read-only, a new password each run): its password. */
    private static String warmUpDatabaseAndRole(LocalPostgres source, JdbcTemplate admin) {
        JdbcTemplate tiny = database(source, TINY_DATABASE);
        tiny.execute("create table if not exists note (id int primary key, body text)");
        tiny.execute("insert into note select g, 'note ' || g from generate_series(1, 100) g on conflict do nothing");
        String password = UUID.randomUUID().toString();
        Integer role = admin.queryForObject("select count(*) from pg_roles where rolname = ?", Integer.class, ROLE);
        admin.execute((role == null || role == 0 ? "create" : "alter") + " role " + ROLE + " login password '" + password + "'");
        admin.execute("grant pg_read_all_data to " + ROLE);
        return password;
    }

    private static JdbcTemplate database(LocalPostgres server, String database) {
        return new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database,
                "postgres", ""));
    }

    private static void target(Map<String, Object> properties, String name, String database, int port, String password) {
        String prefix = "wharf.backup.targets." + name + ".";
        properties.put(prefix + "host", "127.0.0.1");
        properties.put(prefix + "port", Integer.toString(port));
        properties.put(prefix + "database", database);
        properties.put(prefix + "user", ROLE);
        properties.put(prefix + "password", password);
        properties.put(prefix + "format", "custom");
    }

    /** The PostgreSQL 15 client tools (the server is 15): PG_BIN, else Debian's folder, else pg_config's. */
    private static Path postgresBin() throws Exception {
        String configured = System.getenv("PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql/15/bin");
        if (Files.isExecutable(debian.resolve("pg_dump"))) {
            return debian;
        }
        return Path.of(run(List.of("pg_config", "--bindir"), Map.of()).trim());
    }

    /** Runs a command to its end, its standard error shown; fails on a non-zero exit. Returns its standard output. */
    private static String run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process p = builder.start();
        children.add(p);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command.get(0) + " exited with status " + p.exitValue());
            }
            return out;
        } finally {
            destroy(p);
            children.remove(p);
        }
    }

    /**
     * From {@code -Xlog:gc} lines such as {@code Pause Young (Normal) (G1 Evacuation Pause) 40M->20M(64M)}: the most
     * heap in use when a pause began, and the most still in use after a collection (young or full: the
     * live data then, give or take what young collections leave in the old generation).
     */
    private static String gcSummary(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return "no GC log";
        }
        long before = 0;
        long after = 0;
        int collections = 0;
        int full = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            before = Math.max(before, Long.parseLong(m.group(1)));
            if (line.contains("Pause Young") || line.contains("Pause Full")) {
                after = Math.max(after, Long.parseLong(m.group(2)));
                collections++;
                full += line.contains("Pause Full") ? 1 : 0;
            }
        }
        return "heap in use at most " + before + " MiB, at most " + after + " MiB still in use after a collection ("
                + collections + " collections, " + full + " full)";
    }

    private static void stop(Process service) throws InterruptedException {
        List<ProcessHandle> descendants = service.descendants().toList(); // its pg_dump, if one is running
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly();
            service.waitFor(10, TimeUnit.SECONDS);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        children.remove(service);
    }

    private static void destroy(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void stopChildren() {
        for (Process p : children) {
            destroy(p);
        }
        children.clear();
    }


    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
