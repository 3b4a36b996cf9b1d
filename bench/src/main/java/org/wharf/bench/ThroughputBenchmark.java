package org.wharf.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.topic.Topic;

import com.sun.management.OperatingSystemMXBean;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deposit pipeline's throughput on the local stack ({@code wharf local up}): small deposits (a few
 * files each, every one different) whose archives are in the deposits bucket already, announced by a
 * Java client. First as fast as the broker accepts them (sustained deposits/s: the first announcement
 * sent to the last DepositLoaded read), then at a fixed offered rate, where each deposit's latency is
 * from its DepositReceived sent to its DepositLoaded read. Prints p50/p99 and where the time goes
 * (received → verified: the checker; verified → loading: the hop, split at the record's broker timestamp into
 * the checker's relay and the loader taking it; loading → loaded: the loader; loaded → read: the relay and the read), from the events' own times, and the stack's CPU seconds per deposit.
 * Goal: ≥ 100 deposits/s sustained; p99 received → done ≤ 2 s at 50/s.
 * Usage: {@code ThroughputBenchmark [workDir] [burst=2000] [rate=50] [seconds=30]}.
 */
public final class ThroughputBenchmark {

    private static final String CLIENT = "bench";
    private static final String PROVIDER = "https://bench.example.org/";

    /** One deposit's times: sent, its events' own times, and when its DepositLoaded was read. */
    static final class Times {
        long sentNanos;
        Instant sent;
        Instant verified;
        Instant verifiedSent;
        Instant loading;
        Instant loaded;
        long readNanos;
        String failure;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-throughput").toAbsolutePath();
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Files.createDirectories(work);
        try (LocalStack stack = LocalStack.start(work); S3Client s3 = S3Clients.create(stack.s3);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap,
                     ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer())) {
            stack.cli("client", "create", "--username", CLIENT, "--collection", CLIENT, "--provider-url", PROVIDER);
            int warmUp = 200;
            System.out.printf("uploading %d small archives (3 files each) outside the timed windows...%n", warmUp + burst + rate * seconds);
            List<StoredObject[]> warm = upload(s3, stack.depositsBucket, warmUp);
            List<StoredObject[]> burstArchives = upload(s3, stack.depositsBucket, burst);
            List<StoredObject[]> steadyArchives = upload(s3, stack.depositsBucket, rate * seconds);

            run(stack, producer, warm, 0, "warm-up");
            ProcessHandle.Info before = stack.handle().info();
            long machineBefore = machineBusyMillis();
            long wallStart = System.nanoTime();
            Map<String, Times> burstTimes = run(stack, producer, burstArchives, 0, "burst");
            long wallNanos = System.nanoTime() - wallStart;
            ProcessHandle.Info after = stack.handle().info();
            long machineBusy = machineBusyMillis() - machineBefore;
            long first = burstTimes.values().stream().mapToLong(t -> t.sentNanos).min().orElseThrow();
            long last = burstTimes.values().stream().mapToLong(t -> t.readNanos).max().orElseThrow();
            double perSecond = burst / ((last - first) / 1e9);
            double cpu = (after.totalCpuDuration().orElse(Duration.ZERO).minus(before.totalCpuDuration().orElse(Duration.ZERO))).toMillis() / 1000.0;
            System.out.printf("%nburst: %d deposits sent as fast as accepted; all done in %.2f s: %.0f deposits/s sustained (goal ≥ 100)%n",
                    burst, (last - first) / 1e9, perSecond);
            System.out.printf("stack JVM CPU: %.2f s over %.2f s wall, %.1f ms per deposit (services' JVM; PostgreSQL not counted)%n",
                    cpu, wallNanos / 1e9, cpu * 1000 / burst);
            System.out.printf("the whole machine (/proc/stat: the stack, PostgreSQL, this client): %.2f core-seconds busy of %.2f, "
                    + "%.1f ms per deposit%n", machineBusy / 1000.0, wallNanos / 1e9 * Runtime.getRuntime().availableProcessors(),
                    (double) machineBusy / burst);
            report(burstTimes);
            s3Floor(stack, s3, burstArchives);

            Map<String, Times> steady = run(stack, producer, steadyArchives, rate, "steady");
            System.out.printf("%nsteady: %d deposits offered at %d/s for %d s%n", steady.size(), rate, seconds);
            report(steady);
        }
    }

    /**
     * The S3 requests of the burst's deposits again, alone, one after another from this process: each deposit's
     * archive and metadata read (the checker), its archive read (the loader) and a pack of the archive's size
     * written (the loader). The S3 server runs in the stack's JVM, as during the burst: what it and this
     * process's client spend is what S3 costs a deposit on these two cores, before Kafka, PostgreSQL or any
     * check. At 100 deposits/s the two cores have 20 ms for everything a deposit costs.
     */
    static void s3Floor(LocalStack stack, S3Client s3, List<StoredObject[]> archives) {
        var self = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Duration serverBefore = stack.handle().info().totalCpuDuration().orElse(Duration.ZERO);
        long clientBefore = self.getProcessCpuTime();
        long start = System.nanoTime();
        for (StoredObject[] deposit : archives) {
            byte[] archive = s3.getObjectAsBytes(b -> b.bucket(deposit[0].bucket()).key(deposit[0].key())).asByteArray();
            s3.getObjectAsBytes(b -> b.bucket(deposit[1].bucket()).key(deposit[1].key()));
            s3.getObjectAsBytes(b -> b.bucket(deposit[0].bucket()).key(deposit[0].key()));
            s3.putObject(b -> b.bucket(deposit[0].bucket()).key("bench-floor/" + UUID.randomUUID()), RequestBody.fromBytes(archive));
        }
        double wall = (System.nanoTime() - start) / 1e6;
        double server = stack.handle().info().totalCpuDuration().orElse(Duration.ZERO).minus(serverBefore).toNanos() / 1e6;
        double client = (self.getProcessCpuTime() - clientBefore) / 1e6;
        System.out.printf("S3 alone (each deposit's 3 GETs and 1 PUT again, one at a time): %.1f ms of the stack JVM's CPU (the S3 server) "
                        + "and %.1f ms of this client's per deposit, %.1f ms wall: %.0f%% of the 20 ms a deposit may cost at 100/s%n",
                server / archives.size(), client / archives.size(), wall / archives.size(),
                100 * (server + client) / archives.size() / 20);
    }

    /** Milliseconds the machine's cores spent busy since boot (every process), from /proc/stat's first line. */
    static long machineBusyMillis() throws IOException {
        String[] ticks = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < ticks.length && i <= 8; i++) {
            if (i != 4 && i != 5) { // idle and iowait
                busy += Long.parseLong(ticks[i]);
            }
        }
        return busy * 10; // USER_HZ is 100 on Linux
    }

    /** Sends one DepositReceived per archive (at {@code rate}/s, or as fast as accepted when 0) and reads every deposit's end. */
    static Map<String, Times> run(LocalStack stack, KafkaProducer<String, byte[]> producer, List<StoredObject[]> archives,
                                          int rate, String phase) throws Exception {
        Map<String, Times> times = new HashMap<>();
        try (KafkaConsumer<String, byte[]> events = TopicTail.atEnd(stack.bootstrap,
                List.of(Topic.CHECKER_EVENTS.topicName(), Topic.LOADER_EVENTS.topicName()), "checker and loader")) {
            long start = System.nanoTime();
            for (int i = 0; i < archives.size(); i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    // Reads what comes until the next send is due (no busy loop: this process shares the two cores).
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        drain(events, times, Duration.ofNanos(wait));
                    }
                }
                StoredObject[] archive = archives.get(i);
                String depositId = archive[0].key().split("/")[2];
                Times t = new Times();
                t.sentNanos = System.nanoTime();
                t.sent = Instant.now();
                times.put(depositId, t);
                producer.send(announcement(archive));
                if (rate == 0 && i % 100 == 0) {
                    drain(events, times, Duration.ZERO);
                }
            }
            producer.flush();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (times.values().stream().anyMatch(t -> t.readNanos == 0)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(phase + ": " + times.values().stream().filter(t -> t.readNanos == 0).count()
                            + " deposits not done within 10 minutes");
                }
                drain(events, times, Duration.ofMillis(50));
            }
        }
        List<String> failed = times.values().stream().filter(t -> t.failure != null).map(t -> t.failure).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException(phase + ": " + failed.size() + " deposits did not load, e.g. " + failed.get(0));
        }
        return times;
    }

    /** The DepositReceived a depositor sends once it has uploaded {@code archive} (the archive, then its metadata). */
    static ProducerRecord<String, byte[]> announcement(StoredObject[] archive) {
        String depositId = archive[0].key().split("/")[2];
        DepositReceived received = new DepositReceived(depositId, CLIENT, CLIENT, PROVIDER + depositId, archive[0], archive[1], Instant.now());
        Envelope envelope = Envelope.first("/wharf/bench", Messages.DEPOSIT_RECEIVED.type(), depositId, "bench",
                Messages.DEPOSIT_RECEIVED.write(received));
        return KafkaBinding.toRecord(Messages.DEPOSIT_RECEIVED.topic().topicName(), depositId, envelope);
    }

    private static void drain(KafkaConsumer<String, byte[]> events, Map<String, Times> times, Duration wait) {
        for (ConsumerRecord<String, byte[]> record : events.poll(wait)) {
            Times t = record.key() == null ? null : times.get(record.key());
            if (t == null) {
                continue;
            }
            Envelope e = KafkaBinding.fromRecord(record);
            if (Messages.DEPOSIT_VERIFIED.is(e)) {
                t.verified = e.time();
                t.verifiedSent = Instant.ofEpochMilli(record.timestamp()); // when the checker's relay sent it
            } else if (Messages.DEPOSIT_LOADING.is(e)) {
                t.loading = e.time();
            } else if (Messages.DEPOSIT_LOADED.is(e)) {
                t.loaded = e.time();
                t.readNanos = System.nanoTime();
            } else if (Messages.DEPOSIT_REJECTED.is(e) || Messages.DEPOSIT_LOAD_FAILED.is(e)) {
                t.failure = record.key() + " " + e.type() + ": " + new String(e.data(), StandardCharsets.UTF_8);
                t.readNanos = System.nanoTime();
            }
        }
    }

    static void report(Map<String, Times> times) {
        List<Times> all = new ArrayList<>(times.values());
        System.out.printf("%-24s %8s %8s %8s %8s%n", "ms", "p50", "p90", "p99", "max");
        line("received → done (read)", all, t -> (t.readNanos - t.sentNanos) / 1e6);
        line("  received → verified", all, t -> Duration.between(t.sent, t.verified).toNanos() / 1e6);
        line("  verified → loading", all, t -> Duration.between(t.verified, t.loading).toNanos() / 1e6);
        line("    checker's relay", all, t -> Duration.between(t.verified, t.verifiedSent).toNanos() / 1e6);
        line("    loader takes it", all, t -> Duration.between(t.verifiedSent, t.loading).toNanos() / 1e6);
        line("  loading → loaded", all, t -> Duration.between(t.loading, t.loaded).toNanos() / 1e6);
        line("  loaded → read", all, t -> (t.readNanos - t.sentNanos) / 1e6 - Duration.between(t.sent, t.loaded).toNanos() / 1e6);
    }

    private static void line(String name, List<Times> all, ToDoubleFunction<Times> part) {
        List<Long> micros = all.stream().map(t -> Math.round(part.applyAsDouble(t) * 1000)).toList();
        System.out.printf("%-24s %8.1f %8.1f %8.1f %8.1f%n", name, Percentiles.percentile(micros, 50) / 1000.0,
                Percentiles.percentile(micros, 90) / 1000.0, Percentiles.percentile(micros, 99) / 1000.0,
                Percentiles.percentile(micros, 100) / 1000.0);
    }

    /** {@code count} deposits' archives (three small files, one of them unique) and metadata, uploaded with 4 threads. */
    static List<StoredObject[]> upload(S3Client s3, String bucket, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<StoredObject[]>> uploads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                uploads.add(pool.submit(() -> {
                    String depositId = UUID.randomUUID().toString();
                    String prefix = "deposits/" + CLIENT + "/" + depositId + "/";
                    byte[] archive = archive(depositId);
                    byte[] metadata = ("<?xml version=\"1.0\"?><entry xmlns=\"http://www.w3.org/2005/Atom\"><title>" + depositId
                            + "</title><author><name>Bench</name></author></entry>").getBytes(StandardCharsets.UTF_8);
                    s3.putObject(b -> b.bucket(bucket).key(prefix + "archive.tar.gz"), RequestBody.fromBytes(archive));
                    s3.putObject(b -> b.bucket(bucket).key(prefix + "metadata.xml"), RequestBody.fromBytes(metadata));
                    return new StoredObject[] {
                            new StoredObject(bucket, prefix + "archive.tar.gz", (long) archive.length,
                                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive))),
                            new StoredObject(bucket, prefix + "metadata.xml", null, null)};
                }));
            }
            List<StoredObject[]> archives = new ArrayList<>();
            for (Future<StoredObject[]> upload : uploads) {
                archives.add(upload.get());
            }
            return archives;
        } finally {
            pool.shutdown();
        }
    }

    private static byte[] archive(String unique) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            file(tar, "project/README", "A small deposit for the throughput benchmark.\n");
            file(tar, "project/src/main.c", "int main(void) { return 0; }\n");
            file(tar, "project/ID", unique + "\n");
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
