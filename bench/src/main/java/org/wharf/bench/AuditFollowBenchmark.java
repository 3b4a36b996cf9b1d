package org.wharf.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalKafka;
import org.wharf.common.topic.Topic;
import org.wharf.common.topic.TopicCatalogConfiguration;
import org.wharf.common.topic.TopicProperties;

/**
 * {@code wharf audit tail --follow --key K --wide} as an operator runs it (the {@code wharf} command's own
 * process, its standard output a pipe read here) while records of K are published to {@code wharf.audit} of
 * a broker in this process: first at a steady pace (1,000 a second: the sustained rate it keeps and the
 * lag from each record's {@code ce_time} to its line), then all at once (how fast it can print, the
 * headroom). Every record must be printed exactly once, in order.
 *
 * <p>Usage: {@code AuditFollowBenchmark [workDir] [records=20000] [perSecond=1000] [burst=50000]}; see bench/README.md.
 */
public final class AuditFollowBenchmark {

    private static final String KEY = "bench";
    private static final Pattern SEQ = Pattern.compile("  \\{\"seq\":(\\d+)}  correlation=");

    /** One line of the command's output that carried a record: its sequence number, its ce_time, when it was read. */
    private record Printed(int seq, Instant recordTime, Instant readAt) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-audit").toAbsolutePath();
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int burst = args.length > 3 ? Integer.parseInt(args[3]) : 50_000;
        Path cliJar = Path.of(System.getProperty("wharf.cli.jar", "cli/target/wharf.jar")).toAbsolutePath();
        if (!Files.isRegularFile(cliJar)) {
            throw new IllegalStateException(cliJar + " is missing (bench/run-audit.sh builds it)");
        }
        Files.createDirectories(work);
        Path kafkaDir = work.resolve("kafka");
        Folders.deleteRecursively(kafkaDir);
        Path home = Files.createDirectories(work.resolve("home"));
        Process tail = null;
        try (LocalKafka kafka = LocalKafka.start(0, kafkaDir)) {
            createAuditTopic(kafka.bootstrapServers());
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", cliJar.toString(), "audit", "tail", "--follow", "--key", KEY, "--wide")
                    .redirectError(work.resolve("wharf-audit-tail.log").toFile());
            builder.environment().put("WHARF_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            builder.environment().put("WHARF_HOME", home.toString());
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            Process process = builder.start();
            tail = process;
            List<Printed> printed = new ArrayList<>();
            int[] otherLines = {0};
            Thread reader = new Thread(() -> read(process, printed, otherLines), "audit-tail-reader");
            reader.setDaemon(true);
            reader.start();

            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                // Records that are not measured, sent until one is printed: the command is following before the clock starts.
                long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (count(printed, otherLines) == 0 && System.nanoTime() < until && process.isAlive()) {
                    producer.send(KafkaBinding.toRecord(Topic.AUDIT.topicName(), KEY, record("{\"ready\":true}")));
                    Thread.sleep(200);
                }
                if (count(printed, otherLines) == 0) {
                    throw new IllegalStateException("wharf audit tail printed nothing within 2 minutes (see " + work + "/wharf-audit-tail.log)");
                }

                System.out.printf("paced: %,d records at %,d/s...%n", records, perSecond);
                Instant pacedStart = Instant.now();
                long start = System.nanoTime();
                for (int seq = 0; seq < records; seq++) {
                    // Paced on the clock, so a late send does not slow the ones after it.
                    long early = start + seq * 1_000_000_000L / perSecond - System.nanoTime();
                    if (early > 0) {
                        TimeUnit.NANOSECONDS.sleep(early);
                    }
                    producer.send(KafkaBinding.toRecord(Topic.AUDIT.topicName(), KEY, record("{\"seq\":" + seq + "}")));
                }
                producer.flush();
                double sendSeconds = (System.nanoTime() - start) / 1e9;
                List<Printed> paced = awaitPrinted(printed, records, process);
                check(paced, 0, records);
                double pacedSeconds = Duration.between(pacedStart, paced.get(paced.size() - 1).readAt()).toMillis() / 1e3;
                List<Long> lags = paced.stream().map(p -> Duration.between(p.recordTime(), p.readAt()).toMillis()).sorted().toList();
                System.out.printf("paced: sent in %.2f s (%,.0f/s), all printed after %.2f s: sustained %,.0f/s; "
                                + "lag (ce_time to line) p50 %d ms, p99 %d ms, max %d ms%n",
                        sendSeconds, records / sendSeconds, pacedSeconds, records / pacedSeconds,
                        lags.get(lags.size() / 2), lags.get(lags.size() * 99 / 100), lags.get(lags.size() - 1));

                // Where the lag is: the first seconds (a cold JVM) or all along.
                StringBuilder windows = new StringBuilder("paced: lag p99 by 5 s window:");
                for (int from = 0; from < records; from += perSecond * 5) {
                    List<Long> window = paced.subList(from, Math.min(records, from + perSecond * 5)).stream()
                            .map(p -> Duration.between(p.recordTime(), p.readAt()).toMillis()).sorted().toList();
                    windows.append(String.format(" %d ms", window.get(window.size() * 99 / 100)));
                }
                System.out.println(windows);

                System.out.printf("burst: %,d records as fast as the producer sends them...%n", burst);
                Instant burstStart = Instant.now();
                start = System.nanoTime();
                for (int seq = records; seq < records + burst; seq++) {
                    producer.send(KafkaBinding.toRecord(Topic.AUDIT.topicName(), KEY, record("{\"seq\":" + seq + "}")));
                }
                producer.flush();
                sendSeconds = (System.nanoTime() - start) / 1e9;
                List<Printed> all = awaitPrinted(printed, records + burst, process);
                check(all, 0, records + burst);
                double burstSeconds = Duration.between(burstStart, all.get(all.size() - 1).readAt()).toMillis() / 1e3;
                System.out.printf("burst: sent in %.2f s (%,.0f/s), all printed after %.2f s: %,.0f/s%n",
                        sendSeconds, burst / sendSeconds, burstSeconds, burst / burstSeconds);
            }
        } finally {
            if (tail != null) {
                tail.destroy();
                if (!tail.waitFor(30, TimeUnit.SECONDS)) {
                    tail.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static void read(Process process, List<Printed> printed, int[] otherLines) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Instant at = Instant.now();
                Matcher m = SEQ.matcher(line);
                synchronized (printed) {
                    if (m.find()) {
                        printed.add(new Printed(Integer.parseInt(m.group(1)), Instant.parse(line.substring(0, line.indexOf(' '))), at));
                    } else {
                        otherLines[0]++;
                    }
                }
            }
        } catch (IOException closed) {
            // the process was stopped
        }
    }

    private static int count(List<Printed> printed, int[] otherLines) {
        synchronized (printed) {
            return otherLines[0];
        }
    }

    /** Waits (at most 5 minutes) until {@code count} measured lines are printed; answers a copy of them. */
    private static List<Printed> awaitPrinted(List<Printed> printed, int count, Process process) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < until && process.isAlive()) {
            synchronized (printed) {
                if (printed.size() >= count) {
                    return List.copyOf(printed);
                }
            }
            Thread.sleep(20);
        }
        synchronized (printed) {
            throw new IllegalStateException("printed " + printed.size() + " of " + count + " records"
                    + (process.isAlive() ? " within 5 minutes" : "; wharf audit tail exited with " + process.exitValue()));
        }
    }

    /** Every sequence number from {@code from} to {@code to} printed exactly once, in order. */
    private static void check(List<Printed> printed, int from, int to) {
        if (printed.size() != to - from) {
            throw new IllegalStateException("printed " + printed.size() + " records, " + (to - from) + " sent");
        }
        for (int i = 0; i < printed.size(); i++) {
            if (printed.get(i).seq() != from + i) {
                throw new IllegalStateException("line " + i + " is record " + printed.get(i).seq() + ", not " + (from + i));
            }
        }
    }

    private static void createAuditTopic(String bootstrapServers) throws Exception {
        NewTopic audit = TopicCatalogConfiguration.newTopics(new TopicProperties()).stream()
                .filter(t -> t.name().equals(Topic.AUDIT.topicName())).findFirst().orElseThrow();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(audit)).all().get(1, TimeUnit.MINUTES);
        }
    }

    private static Envelope record(String payload) {
        return Envelope.first("/bench", "org.wharf.bench.audited.v1", KEY, "bench", payload.getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }
}
