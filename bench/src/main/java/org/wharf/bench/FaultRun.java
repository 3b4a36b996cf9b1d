package org.wharf.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.Driver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.infra.LocalControl;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.PinBackup;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.topic.Topic;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The fault run: the whole platform on {@code wharf local up --processes} (two replicas of each service) drives
 * deposits (some hostile, some large), backups with their verifies and restores, deploys to the stack's SSH
 * host and schedules, while a plan drawn from a seed kills service processes with -9 at random moments and at
 * chosen ones (mid-dump, mid-upload, mid-switch), restarts the broker, takes S3 away and restarts PostgreSQL.
 * Each fault ends with the process started again ({@code wharf local start}, through the stack's control
 * socket) and a probe deposit, whose time to done is that fault's recovery time. At the end it checks what
 * the platform promises, from the audit topic, the schemas and the buckets, and prints every figure.
 *
 * <p>Usage: {@code FaultRun [workDir] [minutes=10] [seed=1]}; exit status 0 when every check passed.
 */
public final class FaultRun {

    private static final String SOURCE = "/wharf/fault-run";
    private static final String ACTOR = "fault-run";
    private static final String TARGET = "sample";
    private static final String APPLICATION = "sample";
    private static final String ENVIRONMENT = "staging";
    private static final Duration SCHEDULE_EVERY = Duration.ofSeconds(15);
    /** One sweep of abandoned uploads (every 30 s, the services' default) and a half. */
    private static final Duration SWEEP_GRACE = Duration.ofSeconds(45);
    /** The steps at which a deploy's release may be live on the host already. */
    private static final Set<String> PAST_SWITCH = Set.of("switch", "restart", "health", "prune");
    private static final List<String> SCHEMAS = List.of("checker", "loader", "backup", "deploy", "scheduler");

    /** What one run drives and which faults it plans. */
    record Options(Duration drive, long seed, int deposits, int hostileDeposits, int largeDeposits, int malformedRecords,
                   int backups, int deploys, int schedules, int randomKills, Duration s3Outage, String replicas, int sampleRows) {

        static Options full(int minutes, long seed) {
            return new Options(Duration.ofMinutes(minutes), seed, 1000, 30, 10, 5, 20, 10, 10, Math.max(4, minutes * 2),
                    Duration.ofSeconds(60), "checker=2,loader=2,backup=2,deploy=2,scheduler=2", 1_000_000);
        }

        /** The suite's version: a few minutes, fewer jobs and processes, every kind of fault but the random kills. */
        static Options quick(long seed) {
            return new Options(Duration.ofSeconds(100), seed, 100, 5, 2, 2, 2, 2, 2, 0, Duration.ofSeconds(10),
                    "checker=2,loader=2,backup=1,deploy=1,scheduler=1", 200_000);
        }
    }

    /** A fault as planned: when (from the drive's start), what, and for a kill, whose. */
    record Planned(Duration at, String kind, String service) {
    }

    /** A fault as it happened: its kind and what it hit, when it began and ended, and the probe sent as it ended. */
    record Happened(String kind, String hit, Instant began, Instant ended, String probe) {
    }

    /** The run's outcome: its printed report and the checks that failed (none: passed). */
    record Result(List<String> report, List<String> failures, Map<String, Integer> counts) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    /** One record of the audit topic, as much as the checks need. */
    private record Seen(String id, String type, String key, String correlationId, Instant time, byte[] data, Instant readAt) {
        <T> T payload(MessageType<T> type) {
            return WharfJson.MAPPER.readValue(data, type.payloadClass());
        }
    }

    private final Path work;
    private final Options options;
    private final Random random;
    private final List<String> report = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, List<Seen>> byKey = new ConcurrentHashMap<>();
    private final Map<String, List<Seen>> byCorrelation = new ConcurrentHashMap<>();
    private final Map<String, Instant> sentDeposits = new ConcurrentHashMap<>();
    private final Set<String> hostile = ConcurrentHashMap.newKeySet();
    private final Set<String> large = ConcurrentHashMap.newKeySet();
    private final Set<String> malformed = ConcurrentHashMap.newKeySet();
    private final Map<String, String> jobs = new ConcurrentHashMap<>(); // correlation id -> kind (backup, restore...)
    private final ConcurrentLinkedQueue<BackupCompleted> toRestore = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Predicate<Seen>> trigger = new AtomicReference<>();
    private final AtomicReference<Seen> triggered = new AtomicReference<>();
    private final List<Happened> happened = new CopyOnWriteArrayList<>();
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private volatile StoredObject[] provokingLarge;
    private LocalStack stack;
    private KafkaProducer<String, byte[]> producer;

    private FaultRun(Path work, Options options) {
        this.work = work;
        this.options = options;
        this.random = new Random(options.seed());
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/fault-run").toAbsolutePath();
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Result result = run(work, Options.full(minutes, seed));
        System.exit(result.passed() ? 0 : 1);
    }

    /** Runs the drive and the faults on a stack of its own in {@code work}, then the checks; prints as it goes. */
    static Result run(Path work, Options options) throws Exception {
        Files.createDirectories(work);
        return new FaultRun(work, options).run();
    }

    private Result run() throws Exception {
        say("fault run: seed %d, drive %d s, replicas %s", options.seed(), options.drive().toSeconds(), options.replicas());
        List<Planned> plan = plan();
        plan.forEach(p -> say("planned at %5.1f s: %s%s", p.at().toMillis() / 1000.0, p.kind(), p.service() == null ? "" : " " + p.service()));
        Instant started = Instant.now();
        stack = LocalStack.start(work, List.of("--processes", "--replicas", options.replicas()));
        say("stack ready in %d s", Duration.between(started, Instant.now()).toSeconds());
        try (S3Client s3 = S3Clients.create(stack.s3);
             KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap,
                     ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                     // the broker restarts and the S3 server goes away: a send waits for it rather than fail
                     ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000),
                     new StringSerializer(), new ByteArraySerializer())) {
            producer = kafka;
            stack.cli("client", "create", "--username", "bench", "--collection", "bench", "--provider-url", "https://bench.example.org/");
            // A sample database whose dump takes a while, so that a kill at BackupStarted lands mid-dump.
            new JdbcTemplate(new SimpleDriverDataSource(new Driver(),
                    "jdbc:postgresql://127.0.0.1:" + stack.postgresPort + "/" + TARGET, "postgres", ""))
                    .update("insert into deposit_log select g, 'https://example.org/project-' || g, now() from generate_series(1001, ?) g",
                            options.sampleRows());
            List<StoredObject[]> deposits = uploads(s3);
            Thread reader = new Thread(this::readAudit, "audit-reader");
            reader.start();
            createSchedules();
            Instant driveStart = Instant.now();
            Thread faults = new Thread(() -> runFaults(plan, driveStart, deposits), "faults");
            faults.start();
            drive(driveStart, deposits);
            faults.join();
            deleteSchedules();
            awaitQuiet(Duration.ofMinutes(5));
            Thread.sleep(5_000); // the relays' last sends and marks
            List<String> failures = check(s3);
            reading.set(false);
            reader.join(10_000);
            Map<String, Integer> counts = counts();
            say("counts: %s", counts);
            say(failures.isEmpty() ? "fault run PASSED (seed %d)" : "fault run FAILED (seed %d): " + failures.size() + " check(s)",
                    options.seed());
            return new Result(List.copyOf(report), failures, counts);
        } finally {
            reading.set(false);
            stack.close();
        }
    }

    // ---- the plan

    /** The faults, drawn from the seed: the random kills, then one of each special fault, in order of time. */
    private List<Planned> plan() {
        List<String> services = new ArrayList<>();
        for (String replica : options.replicas().split(",")) {
            if (!replica.endsWith("=0")) {
                services.add(replica.substring(0, replica.indexOf('=')));
            }
        }
        List<Planned> plan = new ArrayList<>();
        long window = options.drive().toMillis();
        for (int i = 0; i < options.randomKills(); i++) {
            plan.add(new Planned(Duration.ofMillis((long) (window * (0.05 + 0.8 * random.nextDouble()))), "kill",
                    services.get(random.nextInt(services.size()))));
        }
        // One of each, in slots of their own so that none hides another.
        List<String> specials = new ArrayList<>(List.of("mid-dump", "mid-upload", "mid-switch", "broker-restart", "s3-away",
                "postgres-restart"));
        Collections.shuffle(specials, random);
        for (int i = 0; i < specials.size(); i++) {
            double slot = 0.1 + 0.75 * i / specials.size();
            plan.add(new Planned(Duration.ofMillis((long) (window * (slot + 0.1 * random.nextDouble()))), specials.get(i), null));
        }
        plan.sort((a, b) -> a.at().compareTo(b.at()));
        return plan;
    }

    private void runFaults(List<Planned> plan, Instant driveStart, List<StoredObject[]> deposits) {
        int probe = 0;
        for (Planned fault : plan) {
            try {
                Duration wait = Duration.between(Instant.now(), driveStart.plus(fault.at()));
                if (!wait.isNegative()) {
                    Thread.sleep(wait.toMillis());
                }
                Happened h = switch (fault.kind()) {
                    case "kill" -> kill(List.of(replicaOf(fault.service())), "kill");
                    // Each sends the work it interrupts, so that there is some whenever it comes.
                    case "mid-dump" -> killOn("mid-dump", "backup", s -> Messages.BACKUP_STARTED.is(s.type()),
                            () -> send(Messages.RUN_BACKUP, TARGET, new RunBackup(TARGET), "backup"));
                    case "mid-upload" -> killOn("mid-upload", "loader", s -> Messages.DEPOSIT_LOADING.is(s.type())
                            && large.contains(s.key()), () -> announce(provokingLarge));
                    case "mid-switch" -> killOn("mid-switch", "deploy", s -> Messages.STEP_STARTED.is(s.type())
                            && "switch".equals(s.payload(Messages.STEP_STARTED).step()), this::deploy);
                    case "broker-restart" -> restart("broker-restart", "broker", Duration.ZERO, false);
                    case "s3-away" -> restart("s3-away", "s3", options.s3Outage(), true);
                    case "postgres-restart" -> postgres();
                    default -> throw new IllegalStateException(fault.kind());
                };
                if (h == null) {
                    continue;
                }
                // The probe: a deposit sent as the fault ends; its time to done is the fault's recovery time.
                StoredObject[] archive = deposits.get(deposits.size() - 1 - probe++);
                String id = announce(archive);
                happened.add(new Happened(h.kind(), h.hit(), h.began(), h.ended(), id));
                say("fault %-16s %-24s at %6.1f s, %5.1f s long; probe %s", h.kind(), h.hit(),
                        Duration.between(driveStart, h.began()).toMillis() / 1000.0, Duration.between(h.began(), h.ended()).toMillis() / 1000.0, id);
            } catch (Exception e) {
                say("fault %s could not be carried out: %s", fault.kind(), e);
            }
        }
    }

    /** Waits (up to 2 minutes) for the first audit record {@code when} accepts, then kills every replica of {@code service}. */
    private Happened killOn(String kind, String service, Predicate<Seen> when, Runnable provoke) throws Exception {
        triggered.set(null);
        trigger.set(when);
        provoke.run();
        producer.flush();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (triggered.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        trigger.set(null);
        Seen cause = triggered.get();
        if (cause == null) {
            say("fault %s: nothing to interrupt within 2 minutes (no %s work seen); skipped", kind, service);
            return null;
        }
        Thread.sleep(50 + random.nextInt(400)); // into the work, not at its very first instant
        Happened h = kill(replicasOf(service), kind);
        return new Happened(kind, h.hit() + " at " + cause.type().replace("org.wharf.", ""), h.began(), h.ended(), null);
    }

    /** kill -9 of each role, then, after 1 to 5 s, each started again through the stack. */
    private Happened kill(List<String> roles, String kind) throws Exception {
        Instant began = Instant.now();
        Map<String, Long> pids = table();
        for (String role : roles) {
            ProcessHandle.of(pids.get(role)).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (String role : roles) {
            ProcessHandle.of(pids.get(role)).ifPresent(p -> p.onExit().join());
        }
        Thread.sleep(1000 + random.nextInt(4000));
        for (String role : roles) {
            control("start " + role);
        }
        return new Happened(kind, String.join("+", roles), began, Instant.now(), null);
    }

    /** Stops {@code role} (-9 when {@code kill}, else SIGTERM), leaves it down for {@code down}, starts it again. */
    private Happened restart(String kind, String role, Duration down, boolean kill) throws Exception {
        Instant began = Instant.now();
        control((kill ? "kill " : "stop ") + role);
        Thread.sleep(down.toMillis());
        control("start " + role);
        return new Happened(kind, role + (down.isZero() ? "" : " away " + down.toSeconds() + " s"), began, Instant.now(), null);
    }

    private Happened postgres() {
        Instant began = Instant.now();
        control("restart postgres");
        return new Happened("postgres-restart", "postgres", began, Instant.now(), null);
    }

    private void control(String request) {
        LocalControl.Answer answer = LocalControl.ask(work.resolve("local"), request);
        if (!answer.ok()) {
            throw new IllegalStateException(request + ": " + answer.text());
        }
    }

    private String replicaOf(String service) {
        List<String> roles = replicasOf(service);
        return roles.get(random.nextInt(roles.size()));
    }

    private List<String> replicasOf(String service) {
        return table().keySet().stream().filter(r -> r.startsWith(service + "-")).sorted().toList();
    }

    /** The stack's table: role -> pid. */
    private Map<String, Long> table() {
        try {
            Map<String, Long> pids = new TreeMap<>();
            for (String line : Files.readAllLines(work.resolve("local").resolve("processes"))) {
                String[] fields = line.split(" ");
                if (fields.length >= 2) {
                    pids.put(fields[0], Long.parseLong(fields[1]));
                }
            }
            return pids;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the drive

    private List<StoredObject[]> uploads(S3Client s3) throws Exception {
        int probes = 6 + options.randomKills();
        List<StoredObject[]> all = new ArrayList<>(ThroughputBenchmark.upload(s3, stack.depositsBucket,
                options.deposits() - options.hostileDeposits() - options.largeDeposits() + probes));
        byte[] big = new byte[6 << 20];
        for (int i = 0; i <= options.largeDeposits(); i++) {
            random.nextBytes(big); // incompressible: a 6 MiB archive, uploaded and loaded as such
            StoredObject[] archive = upload(s3, tar(Map.of("big/data.bin", big, "big/README", "large\n".getBytes(StandardCharsets.UTF_8))));
            large.add(depositId(archive));
            if (i == options.largeDeposits()) {
                provokingLarge = archive; // the one the mid-upload fault sends
            } else {
                all.add(random.nextInt(all.size() - probes), archive);
            }
        }
        for (int i = 0; i < options.hostileDeposits(); i++) {
            // A path out of the deposit's tree: the checker must refuse it, whatever else happens.
            StoredObject[] archive = upload(s3, tar(Map.of("project/../../../etc/evil-" + i, "x\n".getBytes(StandardCharsets.UTF_8))));
            hostile.add(depositId(archive));
            all.add(random.nextInt(all.size() - probes), archive);
        }
        say("uploaded %d deposits (%d hostile, %d large) and %d probes", all.size() - probes, options.hostileDeposits(),
                options.largeDeposits(), probes);
        return all;
    }

    private static String depositId(StoredObject[] archive) {
        return archive[0].key().split("/")[2];
    }

    private StoredObject[] upload(S3Client s3, byte[] archive) throws Exception {
        String depositId = UUID.randomUUID().toString();
        String prefix = "deposits/bench/" + depositId + "/";
        byte[] metadata = ("<?xml version=\"1.0\"?><entry xmlns=\"http://www.w3.org/2005/Atom\"><title>" + depositId
                + "</title><author><name>Fault run</name></author></entry>").getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(stack.depositsBucket).key(prefix + "archive.tar.gz"), RequestBody.fromBytes(archive));
        s3.putObject(b -> b.bucket(stack.depositsBucket).key(prefix + "metadata.xml"), RequestBody.fromBytes(metadata));
        return new StoredObject[] {
                new StoredObject(stack.depositsBucket, prefix + "archive.tar.gz", (long) archive.length,
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive))),
                new StoredObject(stack.depositsBucket, prefix + "metadata.xml", null, null)};
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true); // as written: no ../ stripped
                entry.setSize(file.getValue().length);
                entry.setMode(0644);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private String announce(StoredObject[] archive) {
        String id = depositId(archive);
        sentDeposits.put(id, Instant.now());
        producer.send(ThroughputBenchmark.announcement(archive));
        return id;
    }

    /** Deposits evenly over 90% of the window; backups, deploys and the malformed records at their slots, each after the last ended. */
    private void drive(Instant start, List<StoredObject[]> deposits) throws Exception {
        long window = options.drive().toMillis() * 9 / 10;
        int regular = options.deposits();
        int sent = 0;
        int backups = 0;
        int deploys = 0;
        int restores = 0;
        int bad = 0;
        String lastBackup = null;
        String lastDeploy = null;
        while (true) {
            long now = Duration.between(start, Instant.now()).toMillis();
            while (sent < regular && now >= window * sent / regular) {
                announce(deposits.get(sent++));
            }
            if (backups < options.backups() && now >= window * backups / options.backups() && ended(lastBackup)) {
                lastBackup = send(Messages.RUN_BACKUP, TARGET, new RunBackup(TARGET), "backup");
                backups++;
            }
            if (deploys < options.deploys() && now >= window * deploys / options.deploys() && ended(lastDeploy)) {
                lastDeploy = deploy();
                deploys++;
            }
            if (bad < options.malformedRecords() && now >= window * (bad + 1) / (options.malformedRecords() + 1)) {
                malformed(bad++);
            }
            BackupCompleted done;
            while ((done = toRestore.poll()) != null) {
                send(Messages.VERIFY_BACKUP, TARGET, new VerifyBackup(TARGET, done.backupId()), "verify");
                send(Messages.RESTORE_BACKUP, TARGET, new RestoreBackup(TARGET, done.backupId(),
                        TARGET + "_restore_" + (++restores), false), "restore");
            }
            if (sent >= regular && backups >= options.backups() && deploys >= options.deploys() && bad >= options.malformedRecords()
                    && now >= window) {
                break;
            }
            if (now > options.drive().toMillis() * 3) {
                say("drive: gave up sending at %d s: %d backups and %d deploys sent (each waits for the last to end)",
                        now / 1000, backups, deploys);
                break;
            }
            Thread.sleep(20);
        }
        producer.flush();
        say("drive: %d deposits, %d backups, %d deploys, %d malformed records sent in %d s", sent, backups, deploys, bad,
                Duration.between(start, Instant.now()).toSeconds());
    }

    private String deploy() {
        return send(Messages.DEPLOY, APPLICATION + "/" + ENVIRONMENT, new Deploy(APPLICATION, ENVIRONMENT, null, null, null, null), "deploy");
    }

    /** A record no service can read, on a topic a depositor writes: it must be dead-lettered, and nothing else. */
    private void malformed(int n) {
        String key = "malformed-" + n + "-" + UUID.randomUUID();
        malformed.add(key);
        Envelope envelope = Envelope.first(SOURCE, Messages.DEPOSIT_RECEIVED.type(), key, ACTOR,
                "{\"depositId\": [not json".getBytes(StandardCharsets.UTF_8));
        producer.send(KafkaBinding.toRecord(Messages.DEPOSIT_RECEIVED.topic().topicName(), key, envelope));
    }

    private <T> String send(MessageType<T> type, String key, T payload, String kind) {
        String correlation = kind + "-" + UUID.randomUUID();
        jobs.put(correlation, kind);
        Envelope envelope = Envelope.first(SOURCE, type.type(), key, ACTOR, correlation, type.write(payload));
        producer.send(KafkaBinding.toRecord(type.topic().topicName(), key, envelope));
        return correlation;
    }

    private void createSchedules() {
        for (int i = 0; i < options.schedules(); i++) {
            String name = "fault-run-" + i;
            // A cheap command with an answer of its own: pinning a backup that does not exist is refused.
            ScheduledCommand command = ScheduledCommand.of(Messages.PIN_BACKUP, TARGET,
                    new PinBackup(TARGET, "no-such-backup", null));
            send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@every " + SCHEDULE_EVERY.toSeconds() + "s", null,
                    command, null, null, "allow", null, null), "schedule");
        }
    }

    private void deleteSchedules() {
        for (int i = 0; i < options.schedules(); i++) {
            send(Messages.DELETE_SCHEDULE, "fault-run-" + i, new ScheduleRef("fault-run-" + i), "schedule-delete");
        }
        producer.flush();
    }

    // ---- reading

    private void readAudit() {
        try (KafkaConsumer<String, byte[]> audit = TopicTail.atEnd(stack.bootstrap, Topic.AUDIT.topicName(), "platform")) {
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> record : audit.poll(Duration.ofMillis(100))) {
                    Envelope e = KafkaBinding.fromRecord(record);
                    Seen s = new Seen(e.id(), e.type(), record.key(), e.correlationId(), e.time(), e.data(), Instant.now());
                    seen.add(s);
                    if (record.key() != null) {
                        byKey.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>()).add(s);
                    }
                    if (e.correlationId() != null) {
                        byCorrelation.computeIfAbsent(e.correlationId(), k -> new CopyOnWriteArrayList<>()).add(s);
                    }
                    if (Messages.BACKUP_COMPLETED.is(e.type()) && "backup".equals(jobs.get(e.correlationId()))
                            && byCorrelation.get(e.correlationId()).stream().filter(x -> x.type().equals(e.type())).count() == 1) {
                        toRestore.add(s.payload(Messages.BACKUP_COMPLETED));
                    }
                    Predicate<Seen> when = trigger.get();
                    if (when != null && triggered.get() == null && when.test(s)) {
                        triggered.set(s);
                    }
                }
            }
        } catch (RuntimeException e) {
            say("the audit reader stopped: %s", e);
        }
    }

    /** Distinct records (by id) of these types among {@code records}. */
    private static List<Seen> distinct(List<Seen> records, MessageType<?>... types) {
        Set<String> wanted = new TreeSet<>();
        for (MessageType<?> t : types) {
            wanted.add(t.type());
        }
        Map<String, Seen> byId = new LinkedHashMap<>();
        for (Seen s : records == null ? List.<Seen>of() : records) {
            if (wanted.contains(s.type())) {
                byId.putIfAbsent(s.id(), s);
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static final MessageType<?>[] VERDICTS = {Messages.DEPOSIT_VERIFIED, Messages.DEPOSIT_REJECTED};
    private static final MessageType<?>[] LOAD_ENDS = {Messages.DEPOSIT_LOADED, Messages.DEPOSIT_LOAD_FAILED};
    private static final Map<String, MessageType<?>[]> JOB_ENDS = Map.of(
            "backup", new MessageType<?>[] {Messages.BACKUP_COMPLETED, Messages.BACKUP_FAILED, Messages.BACKUP_COMMAND_REJECTED},
            "verify", new MessageType<?>[] {Messages.BACKUP_VERIFIED, Messages.BACKUP_COMMAND_REJECTED},
            "restore", new MessageType<?>[] {Messages.RESTORE_COMPLETED, Messages.RESTORE_FAILED, Messages.BACKUP_COMMAND_REJECTED},
            "deploy", new MessageType<?>[] {Messages.DEPLOY_COMPLETED, Messages.DEPLOY_FAILED, Messages.DEPLOY_COMMAND_REJECTED},
            "schedule", new MessageType<?>[] {Messages.SCHEDULE_CREATED, Messages.SCHEDULER_COMMAND_REJECTED},
            "schedule-delete", new MessageType<?>[] {Messages.SCHEDULE_DELETED, Messages.SCHEDULER_COMMAND_REJECTED});

    private boolean ended(String correlation) {
        return correlation == null || !distinct(byCorrelation.get(correlation), JOB_ENDS.get(jobs.get(correlation))).isEmpty()
                || (jobs.get(correlation).equals("deploy") && !distinct(byCorrelation.get(correlation), Messages.ROLLED_BACK).isEmpty());
    }

    private boolean depositDone(String id) {
        List<Seen> records = byKey.get(id);
        List<Seen> verdicts = distinct(records, VERDICTS);
        if (verdicts.isEmpty()) {
            return false;
        }
        return Messages.DEPOSIT_REJECTED.is(verdicts.get(0).type()) || !distinct(records, LOAD_ENDS).isEmpty();
    }

    private void awaitQuiet(Duration timeout) throws InterruptedException {
        Instant start = Instant.now();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long deposits = sentDeposits.keySet().stream().filter(id -> !depositDone(id)).count();
            long open = jobs.keySet().stream().filter(c -> !ended(c)).count();
            if (deposits == 0 && open == 0) {
                say("every deposit and job ended %.1f s after the drive", Duration.between(start, Instant.now()).toMillis() / 1000.0);
                return;
            }
            Thread.sleep(250);
        }
        say("not quiet %d s after the drive", timeout.toSeconds());
    }

    // ---- the checks

    private List<String> check(S3Client s3) throws Exception {
        List<String> failures = new ArrayList<>();
        JdbcTemplate db = stack.superuser();
        checkDeposits(failures);
        checkJobs(failures);
        checkSchedules(failures);
        checkDeployHost(failures, db);
        awaitSwept(s3);
        checkArchive(failures, db, s3);
        checkBackups(failures, db, s3);
        checkOutboxes(failures, db);
        checkDeadLetters(failures);
        recovery(failures);
        return failures;
    }

    private void fail(List<String> failures, String check, List<String> problems, String passed) {
        if (problems.isEmpty()) {
            say("PASS  %s: %s", check, passed);
        } else {
            failures.add(check + ": " + problems.get(0));
            say("FAIL  %s: %d problem(s), e.g. %s", check, problems.size(), String.join("; ", problems.subList(0, Math.min(3, problems.size()))));
        }
    }

    private void checkDeposits(List<String> failures) {
        List<String> problems = new ArrayList<>();
        int verified = 0;
        int rejected = 0;
        int loaded = 0;
        for (String id : sentDeposits.keySet()) {
            List<Seen> records = byKey.get(id);
            List<Seen> verdicts = distinct(records, VERDICTS);
            List<Seen> loads = distinct(records, Messages.DEPOSIT_LOADED);
            List<Seen> loadEnds = distinct(records, LOAD_ENDS);
            if (verdicts.size() != 1) {
                problems.add(id + ": " + verdicts.size() + " verdicts");
                continue;
            }
            boolean isRejected = Messages.DEPOSIT_REJECTED.is(verdicts.get(0).type());
            if (isRejected != hostile.contains(id)) {
                problems.add(id + (hostile.contains(id) ? " (hostile) verified" : " rejected: " + new String(verdicts.get(0).data(), StandardCharsets.UTF_8)));
            }
            if (isRejected) {
                rejected++;
                if (!loadEnds.isEmpty()) {
                    problems.add(id + ": rejected, yet " + loadEnds.get(0).type());
                }
            } else {
                verified++;
                if (loads.size() != 1 || loadEnds.size() != 1) {
                    problems.add(id + ": verified, then " + loads.size() + " DepositLoaded and " + (loadEnds.size() - loads.size())
                            + " DepositLoadFailed");
                } else {
                    loaded++;
                }
            }
        }
        fail(failures, "deposits", problems, String.format("%d deposits: %d rejected (every hostile one, nothing else), %d verified,"
                + " %d loaded; each one verdict and at most one DepositLoaded", sentDeposits.size(), rejected, verified, loaded));
    }

    private void checkJobs(List<String> failures) {
        for (String kind : List.of("backup", "verify", "restore", "deploy")) {
            List<String> problems = new ArrayList<>();
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Map.Entry<String, String> job : jobs.entrySet()) {
                if (!job.getValue().equals(kind)) {
                    continue;
                }
                List<Seen> ends = distinct(byCorrelation.get(job.getKey()), JOB_ENDS.get(kind));
                if (kind.equals("deploy")) {
                    // a deploy that fails and rolls back ends with DeployFailed after RolledBack: one end, the failure
                    ends.addAll(distinct(byCorrelation.get(job.getKey()), Messages.ROLLED_BACK).stream()
                            .filter(r -> ends.stream().noneMatch(e -> Messages.DEPLOY_FAILED.is(e.type()))).toList());
                }
                if (ends.size() != 1) {
                    problems.add(job.getKey() + ": " + ends.size() + " ends " + ends.stream().map(Seen::type).toList());
                } else {
                    String type = ends.get(0).type();
                    outcomes.merge(type.substring("org.wharf.".length()), 1, Integer::sum);
                    if (kind.equals("verify") && Messages.BACKUP_VERIFIED.is(type)
                            && !ends.get(0).payload(Messages.BACKUP_VERIFIED).ok()) {
                        problems.add(job.getKey() + ": verify found a problem: " + ends.get(0).payload(Messages.BACKUP_VERIFIED).problem());
                    }
                }
            }
            fail(failures, kind.equals("verify") ? "verifies" : kind + "s", problems, "each ended exactly once: " + outcomes);
        }
    }

    private void checkSchedules(List<String> failures) {
        List<String> problems = new ArrayList<>();
        int fires = 0;
        int missed = 0;
        for (int i = 0; i < options.schedules(); i++) {
            String name = "fault-run-" + i;
            List<Seen> records = byKey.get(name);
            Map<Instant, Integer> firesByDue = new TreeMap<>();
            for (Seen fired : distinct(records, Messages.SCHEDULE_FIRED)) {
                ScheduleFired f = fired.payload(Messages.SCHEDULE_FIRED);
                if (!f.manual()) {
                    firesByDue.merge(f.dueAt(), 1, Integer::sum);
                }
            }
            Set<Instant> missedDue = new TreeSet<>();
            for (Seen m : distinct(records, Messages.SCHEDULE_MISSED)) {
                missedDue.add(m.payload(Messages.SCHEDULE_MISSED).dueAt());
            }
            firesByDue.forEach((due, n) -> {
                if (n > 1) {
                    problems.add(name + " fired " + n + " times for " + due);
                }
            });
            fires += firesByDue.size();
            missed += missedDue.size();
            TreeSet<Instant> all = new TreeSet<>(firesByDue.keySet());
            all.addAll(missedDue);
            if (all.size() < 2) {
                problems.add(name + ": " + all.size() + " due times in the whole run");
                continue;
            }
            Instant previous = null;
            for (Instant due : all) {
                if (previous != null && !Duration.between(previous, due).equals(SCHEDULE_EVERY)) {
                    problems.add(name + ": nothing for the due times between " + previous + " and " + due);
                }
                previous = due;
            }
        }
        fail(failures, "schedules", problems, String.format("%d schedules: %d due times fired once each, %d reported missed, "
                + "no due time skipped unreported", options.schedules(), fires, missed));
    }

    private void checkDeployHost(List<String> failures, JdbcTemplate db) throws IOException {
        List<String> problems = new ArrayList<>();
        Path root = work.resolve("local").resolve("srv").resolve(APPLICATION);
        Path current = root.resolve("current");
        String release = Files.isSymbolicLink(current) ? Files.readSymbolicLink(current).getFileName().toString() : null;
        // the release the last deploy to end left current on: DeployCompleted's, or RolledBack's target
        Seen last = null;
        String expected = null;
        for (Seen s : seen) {
            if (!"deploy".equals(jobs.get(s.correlationId()))) {
                continue;
            }
            String r = Messages.DEPLOY_COMPLETED.is(s.type()) ? s.payload(Messages.DEPLOY_COMPLETED).release()
                    : Messages.ROLLED_BACK.is(s.type()) ? s.payload(Messages.ROLLED_BACK).toRelease() : null;
            if (r != null && (last == null || !s.time().isBefore(last.time()))) {
                last = s;
                expected = r;
            }
        }
        // A deploy interrupted at or after its switch (its service killed) ends failed with each host on its
        // old release or the new one, as the README says; the one after the last good end is allowed too.
        String interrupted = null;
        for (Seen s : seen) {
            if ("deploy".equals(jobs.get(s.correlationId())) && Messages.DEPLOY_FAILED.is(s.type())
                    && (last == null || s.time().isAfter(last.time()))) {
                DeployFailed f = s.payload(Messages.DEPLOY_FAILED);
                interrupted = f.reason() != null && f.reason().startsWith("interrupted at")
                        && PAST_SWITCH.contains(String.valueOf(f.step())) ? f.release() : interrupted;
            }
        }
        if (release == null) {
            problems.add(current + " is not a link");
        } else if (!Files.isDirectory(current)) {
            problems.add(current + " points to " + release + ", which does not exist");
        } else if (expected != null && !expected.equals(release) && !release.equals(interrupted)) {
            problems.add("current is " + release + ", the last deploy to end left " + expected
                    + (interrupted != null ? " (or " + interrupted + ", interrupted past its switch)" : ""));
        }
        if (release != null && release.equals(interrupted)) {
            say("deploy host: %s is live though its deploy ended interrupted past its switch (each host on its old release "
                    + "or the new one, as documented)", release);
        }
        Integer locks = db.queryForObject("select count(*) from deploy.deploy_lock", Integer.class);
        if (locks != null && locks > 0) {
            problems.add(locks + " deploy lock(s) held: " + db.queryForList("select application, environment, holder from deploy.deploy_lock"));
        }
        fail(failures, "deploy host", problems, "current -> " + release + " (the last deploy's), no lock held");
    }

    private void checkArchive(List<String> failures, JdbcTemplate db, S3Client s3) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> rows = new HashMap<>();
        db.query("select key, size, state from loader.archive_object", rs -> {
            rows.put(rs.getString(1), rs.getLong(2));
            if (!rs.getString(3).equals("stored")) {
                problems.add(rs.getString(1) + " is " + rs.getString(3));
            }
        });
        Map<String, Long> objects = objects(s3, "wharf-archive");
        compare(rows, objects, "loader.archive_object", problems);
        problems.addAll(openUploads(s3, "wharf-archive"));
        fail(failures, "archive bucket", problems, objects.size() + " objects, each one the loader's schema knows, and no other");
    }

    private void checkBackups(List<String> failures, JdbcTemplate db, S3Client s3) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> rows = new HashMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        db.query("select key, size, status from backup.backup", rs -> {
            statuses.merge(rs.getString(3), 1, Integer::sum);
            if (rs.getString(3).equals("completed")) {
                rows.put(rs.getString(1), rs.getLong(2));
            } else if (rs.getString(3).equals("running")) {
                problems.add(rs.getString(1) + " still running");
            }
        });
        Map<String, Long> objects = objects(s3, "wharf-backups");
        compare(rows, objects, "the catalog's completed backups", problems);
        problems.addAll(openUploads(s3, "wharf-backups"));
        fail(failures, "backups bucket", problems, "catalog " + statuses + "; " + objects.size()
                + " objects, one per completed backup, of its size; no open multipart upload");
    }

    private static void compare(Map<String, Long> rows, Map<String, Long> objects, String what, List<String> problems) {
        rows.forEach((key, size) -> {
            Long object = objects.get(key);
            if (object == null) {
                problems.add(key + " in " + what + " has no object");
            } else if (!object.equals(size)) {
                problems.add(key + ": " + object + " bytes, " + what + " says " + size);
            }
        });
        objects.keySet().stream().filter(k -> !rows.containsKey(k)).forEach(k -> problems.add(k + ": an object " + what + " does not know"));
    }

    private static Map<String, Long> objects(S3Client s3, String bucket) {
        Map<String, Long> objects = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            objects.put(o.key(), o.size());
        }
        return objects;
    }

    /**
     * An upload whose abort failed while S3 was away stays open until its service's next sweep of
     * abandoned uploads (every 30 s): the checks give it one sweep and a half, and say how long it took.
     */
    private void awaitSwept(S3Client s3) throws InterruptedException {
        Instant start = Instant.now();
        long deadline = System.nanoTime() + SWEEP_GRACE.toNanos();
        List<String> open = openUploads(s3, "wharf-archive", "wharf-backups");
        if (open.isEmpty()) {
            return;
        }
        say("%d upload(s) left open by failed attempts: %s", open.size(), open);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            open = openUploads(s3, "wharf-archive", "wharf-backups");
        }
        if (open.isEmpty()) {
            say("aborted by the services' sweeps of abandoned uploads %.1f s later", Duration.between(start, Instant.now()).toMillis() / 1000.0);
        }
    }

    private static List<String> openUploads(S3Client s3, String... buckets) {
        List<String> open = new ArrayList<>();
        for (String bucket : buckets) {
            open.addAll(openUploads(s3, bucket));
        }
        return open;
    }

    private static List<String> openUploads(S3Client s3, String bucket) {
        return s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .map(u -> bucket + ": multipart upload " + u.uploadId() + " of " + u.key() + " left open").toList();
    }

    private void checkOutboxes(List<String> failures, JdbcTemplate db) {
        List<String> problems = new ArrayList<>();
        for (String schema : SCHEMAS) {
            Integer unsent = db.queryForObject("select count(*) from " + schema + ".outbox where sent_at is null and parked_at is null", Integer.class);
            Integer parked = db.queryForObject("select count(*) from " + schema + ".outbox where parked_at is not null", Integer.class);
            if (unsent != null && unsent > 0) {
                problems.add(schema + ": " + unsent + " records unsent");
            }
            if (parked != null && parked > 0) {
                problems.add(schema + ": " + parked + " records parked");
            }
        }
        fail(failures, "outboxes", problems, "every record of the five schemas sent, none parked");
    }

    private void checkDeadLetters(List<String> failures) throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> lettered = new TreeSet<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrap));
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap,
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (topic.endsWith(Topic.DEAD_LETTER_SUFFIX)) {
                    consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    lettered.add(r.key());
                    if (!malformed.contains(r.key())) {
                        problems.add(r.topic() + ": " + r.key() + " dead-lettered");
                    }
                }
            }
        }
        malformed.stream().filter(k -> !lettered.contains(k)).forEach(k -> problems.add(k + " (malformed) not dead-lettered"));
        fail(failures, "dead letters", problems, lettered.size() + " dead-lettered: the malformed records, nothing else");
    }

    private void recovery(List<String> failures) {
        List<String> problems = new ArrayList<>();
        say("%-16s %-34s %9s %12s", "fault", "hit", "down (s)", "recovery (s)");
        for (Happened h : happened) {
            Seen done = distinct(byKey.get(h.probe()), Messages.DEPOSIT_LOADED).stream().findFirst().orElse(null);
            String recovery = done == null ? "never" : String.format("%.1f", Duration.between(h.ended(), done.readAt()).toMillis() / 1000.0);
            if (done == null) {
                problems.add(h.kind() + ": its probe deposit " + h.probe() + " was never loaded");
            }
            say("%-16s %-34s %9.1f %12s", h.kind(), h.hit(), Duration.between(h.began(), h.ended()).toMillis() / 1000.0, recovery);
        }
        fail(failures, "recovery", problems, happened.size() + " faults, each followed by a probe deposit that was loaded (times above)");
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("deposits", sentDeposits.size());
        counts.put("hostile", hostile.size());
        counts.put("large", large.size());
        jobs.values().forEach(kind -> counts.merge(kind.equals("verify") ? "verifies" : kind + "s", 1, Integer::sum));
        counts.put("faults", happened.size());
        Map<String, Integer> copies = new HashMap<>();
        seen.forEach(s -> copies.merge(s.id(), 1, Integer::sum));
        counts.put("audit records", seen.size());
        counts.put("audit records seen twice or more", (int) copies.values().stream().filter(n -> n > 1).count());
        return counts;
    }

    private void say(String format, Object... args) {
        String line = String.format(format, args);
        report.add(line);
        System.out.println(line);
    }
}
