package org.wharf.bench;

import static org.wharf.bench.Percentiles.percentile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.topic.Topic;
import org.wharf.common.topic.TopicCatalogConfiguration;
import org.wharf.common.topic.TopicProperties;
import org.wharf.scheduler.SchedulerApplication;

/**
 * Many schedules due at the same second, several scheduler replicas: how late each fire reaches its
 * topic (its due time, the fired command's {@code ce_time}, to the moment this benchmark reads it),
 * and whether any due time fired twice. Replicas are processes of their own; the broker, PostgreSQL and
 * the reader run in this one.
 *
 * <p>Usage: {@code SchedulerBenchmark [workDir] [schedules=10000] [replicas=3] [minutes=2]}; see bench/README.md.
 */
public final class SchedulerBenchmark {

    private static final String TARGET = Topic.DEPLOY_COMMANDS.topicName();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("floor")) {
            floorOnly(args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
            return;
        }
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-scheduler").toAbsolutePath();
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int replicaCount = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int minutes = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Files.createDirectories(work);
        Path infraDir = work.resolve("infra");
        Folders.deleteRecursively(infraDir);
        List<Process> replicas = new ArrayList<>();
        try (LocalInfrastructure infra = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, infraDir);
             KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers())) {
            Map<String, Object> properties = new HashMap<>(infra.serviceProperties("scheduler"));
            // -Dwharf.bench.scheduler-properties=wharf.outbox.batch-size=2000,... to try a setting on the replicas
            for (String setting : System.getProperty("wharf.bench.scheduler-properties", "").split(",")) {
                if (setting.contains("=")) {
                    properties.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
                    System.out.println("replicas: " + setting);
                }
            }
            for (int i = 0; i < replicaCount; i++) {
                replicas.add(ServiceProcess.start(SchedulerApplication.class, SchedulerApplication.SERVICE_NAME, properties, 512,
                        work.resolve("replica-" + i + ".log"), null));
            }
            for (int i = 0; i < replicaCount; i++) {
                ServiceProcess.awaitStarted(replicas.get(i), work.resolve("replica-" + i + ".log"), Duration.ofMinutes(3));
            }
            JdbcTemplate superuser = new JdbcTemplate(infra.postgres().superuser());
            System.out.printf("creating %d schedules due every minute at second 0...%n", count);
            for (int i = 0; i < count; i++) {
                String name = "bench-" + i;
                kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "0 * * * * *", null,
                        new ScheduledCommand(TARGET, Messages.DEPLOY.type(), name,
                                WharfJson.MAPPER.readTree("{\"application\":\"bench\",\"environment\":\"" + i + "\"}")),
                        null, null, null, null, null));
            }
            while (superuser.queryForObject("select count(*) from scheduler.schedule where name like 'bench-%'", Integer.class) < count) {
                Thread.sleep(500);
            }
            // Measure whole minutes only: start at the first minute boundary after every schedule exists.
            Instant first = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MINUTES);
            Instant last = first.plusSeconds(60L * (minutes - 1));
            System.out.printf("measuring the fires due from %s to %s (%d replicas)...%n", first, last, replicaCount);
            List<Long> lags = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int duplicates = 0;
            ConsumerRecord<String, byte[]> sample = null;
            try (KafkaConsumer<String, byte[]> consumer = consumer(infra.bootstrapServers())) {
                List<TopicPartition> partitions = consumer.partitionsFor(TARGET).stream()
                        .map(p -> new TopicPartition(TARGET, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                Instant stopAt = last.plusSeconds(30);
                while (Instant.now().isBefore(stopAt) && lags.size() < (long) count * minutes) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        Instant received = Instant.now();
                        Envelope fired = KafkaBinding.fromRecord(record);
                        if (fired.time().isBefore(first) || fired.time().isAfter(last)) {
                            continue;
                        }
                        if (!seen.add(record.key() + "@" + fired.time())) {
                            duplicates++;
                            continue;
                        }
                        lags.add(Duration.between(fired.time(), received).toMillis());
                        sample = record;
                    }
                }
            }
            long expected = (long) count * minutes;
            List<Long> sorted = lags.stream().sorted().toList();
            System.out.printf("%nfires expected %d, received %d, duplicates %d, missing %d%n", expected, sorted.size(), duplicates,
                    expected - sorted.size());
            if (!sorted.isEmpty()) {
                System.out.printf("fire lag (due time -> record read from the topic): p50 %d ms, p99 %d ms, max %d ms%n",
                        percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
            }
            if (!sorted.isEmpty()) {
                System.out.printf("first fire read %d ms after its due time%n", sorted.get(0));
            }
            // Where the time goes, for the last measured minute: the fire transactions, then the outbox relay.
            Map<String, Object> phases = superuser.queryForMap("""
                    select (select extract(epoch from max(recorded_at) - ?::timestamptz) * 1000 from scheduler.schedule_fire
                            where due_at = ?::timestamptz and outcome = 'fired') as last_fire_tx_ms,
                           (select extract(epoch from max(created_at) - ?::timestamptz) * 1000 from scheduler.outbox
                            where ce_time = ?::timestamptz and topic = ?) as last_outbox_row_ms,
                           (select extract(epoch from max(sent_at) - ?::timestamptz) * 1000 from scheduler.outbox
                            where ce_time = ?::timestamptz and topic = ?) as last_sent_ms""",
                    last.toString(), last.toString(), last.toString(), last.toString(), TARGET, last.toString(), last.toString(),
                    TARGET);
            System.out.printf("for %s: the last fire transaction started %.0f ms after the due time, its outbox rows were "
                    + "written by %.0f ms, the relay had published them all by %.0f ms%n", last,
                    number(phases.get("last_fire_tx_ms")), number(phases.get("last_outbox_row_ms")), number(phases.get("last_sent_ms")));
            if (sample != null) {
                transportFloor(infra.bootstrapServers(), sample, count, Map.of());
            }
        } finally {
            for (Process replica : replicas) {
                replica.destroy();
            }
            for (Process replica : replicas) {
                if (!replica.waitFor(30, TimeUnit.SECONDS)) {
                    replica.destroyForcibly();
                }
            }
            Folders.deleteRecursively(infraDir);
        }
    }

    /**
     * The least a burst of {@code count} fires can take on this machine whatever the scheduler does: the
     * records its relay publishes for them (each command; each ScheduleFired, to its topic and to the
     * audit trail), the size of a real fired command, sent by one producer set as the relay's (acks=all,
     * idempotent, linger 5 ms) all at once and flushed once, no database involved, read by the same kind of
     * reader as the fires above: each command's lag from the moment the first send starts.
     */
    private static void transportFloor(String bootstrap, ConsumerRecord<String, byte[]> sample, int count,
                                       Map<String, Object> tuning) throws Exception {
        Map<String, Object> settings = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5));
        settings.putAll(tuning);
        String events = Topic.SCHEDULER_EVENTS.topicName();
        String audit = Topic.AUDIT.topicName();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TARGET).stream()
                    .map(p -> new TopicPartition(TARGET, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            producer.partitionsFor(TARGET); // metadata known before the clock starts, as the relay's is
            producer.partitionsFor(events);
            producer.partitionsFor(audit);
            long[] sentAll = new long[1];
            long start = System.nanoTime();
            Thread sender = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    String key = "floor-" + i;
                    producer.send(new ProducerRecord<>(TARGET, null, key, sample.value(), sample.headers()));
                    producer.send(new ProducerRecord<>(events, null, key, sample.value(), sample.headers()));
                    producer.send(new ProducerRecord<>(audit, null, key, sample.value(), sample.headers()));
                }
                producer.flush();
                sentAll[0] = System.nanoTime() - start;
            }, "floor-sender");
            sender.start();
            List<Long> lags = new ArrayList<>(count);
            long deadline = start + TimeUnit.SECONDS.toNanos(60);
            while (lags.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    if (record.key().startsWith("floor-")) {
                        lags.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    }
                }
            }
            sender.join();
            List<Long> sorted = lags.stream().sorted().toList();
            if (sorted.isEmpty()) {
                System.out.println("transport floor: no command read back within 60 s");
                return;
            }
            System.out.printf("transport floor %s(%d commands + %d ScheduleFired + their %d audit copies, %d bytes each, one producer, "
                            + "no database): all acknowledged after %d ms; commands read p50 %d ms, p99 %d ms, max %d ms (%d of %d read)%n",
                    tuning.isEmpty() ? "" : tuning + " ", count, count, count, sample.value().length, TimeUnit.NANOSECONDS.toMillis(sentAll[0]),
                    percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1), sorted.size(), count);
        }
    }

    /**
     * The transport floor alone, on a broker of its own, for a fired command as the scheduler writes it (its
     * envelope in the headers), with the relay's producer settings and with larger batches, to show which
     * bound is the transport's and which the settings'.
     */
    private static void floorOnly(int count) throws Exception {
        Path infraDir = Files.createTempDirectory("wharf-floor");
        try (LocalInfrastructure infra = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, infraDir);
             var admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            // the catalog's topics, as the services create them
            admin.createTopics(TopicCatalogConfiguration.newTopics(new TopicProperties()))
                    .all().get();
            Envelope command = new Envelope(Envelope.newId(), "/wharf/scheduler", Messages.DEPLOY.type(), Instant.now(),
                    "bench-1", Envelope.newId(), null, "scheduler", null,
                    "{\"application\":\"bench\",\"environment\":\"1\"}".getBytes(StandardCharsets.UTF_8));
            var record = KafkaBinding.toRecord(TARGET, "bench-1", command);
            ConsumerRecord<String, byte[]> sample = new ConsumerRecord<>(TARGET, 0, 0, record.key(), record.value());
            record.headers().forEach(h -> sample.headers().add(h));
            for (int round = 0; round < 2; round++) { // the first round warms the JVM and the broker up
                transportFloor(infra.bootstrapServers(), sample, count, Map.of());
                transportFloor(infra.bootstrapServers(), sample, count, Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                        ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024));
                transportFloor(infra.bootstrapServers(), sample, count, Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                        ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
            }
        } finally {
            Folders.deleteRecursively(infraDir);
        }
    }

    private static double number(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
