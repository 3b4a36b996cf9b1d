package org.wharf.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.message.Messages;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deposit pipeline with 1, 2 and 3 replicas of the checker and the loader, each a process of its own
 * ({@code wharf local up --processes}), on topics of 6 partitions: the same burst of small deposits as
 * {@link ThroughputBenchmark}'s, and for each replica count the deposits/s, the CPU seconds per deposit of
 * every process of the stack (broker, S3 server, PostgreSQL and its backends, each replica), and each
 * replica's share of the partitions (from its consumer group) and of the work (the deposits on its
 * partitions, and its CPU). On 2 cores the wall clock cannot scale; what must hold is that the work
 * divides evenly and that the CPU per deposit does not grow with the replicas.
 *
 * <p>Usage: {@code ScaleBenchmark [workDir] [deposits=1000] [replicas=1,2,3]}.
 */
public final class ScaleBenchmark {

    private static final int PARTITIONS = 6;
    private static final String CLIENT = "bench";

    private record Line(String role, long pid) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-scale").toAbsolutePath();
        int deposits = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<Integer> counts = (args.length > 2 ? List.of(args[2].split(",")) : List.of("1", "2", "3")).stream()
                .map(Integer::parseInt).toList();
        Files.createDirectories(work);
        Path config = Files.writeString(work.resolve("scale.yml"), "wharf:\n  topics:\n    partitions: " + PARTITIONS + "\n");
        List<String> summary = new ArrayList<>();
        for (int replicas : counts) {
            System.out.printf("%n== %d checker and %d loader replica(s), %d partitions, %d deposits ==%n", replicas, replicas,
                    PARTITIONS, deposits);
            try (LocalStack stack = LocalStack.start(work, List.of("--processes", "--replicas",
                    "checker=" + replicas + ",loader=" + replicas + ",backup=0,deploy=0,scheduler=0", "--config", config.toString()));
                 S3Client s3 = S3Clients.create(stack.s3);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                         stack.bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                         new StringSerializer(), new ByteArraySerializer());
                 Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrap))) {
                stack.cli("client", "create", "--username", CLIENT, "--collection", CLIENT, "--provider-url", "https://bench.example.org/");
                List<StoredObject[]> warm = ThroughputBenchmark.upload(s3, stack.depositsBucket, 100);
                List<StoredObject[]> burst = ThroughputBenchmark.upload(s3, stack.depositsBucket, deposits);
                ThroughputBenchmark.run(stack, producer, warm, 0, "warm-up");
                List<Line> processes = processes(work.resolve("local"));
                Map<String, Duration> before = cpu(processes);
                Map<String, ThroughputBenchmark.Times> times = ThroughputBenchmark.run(stack, producer, burst, 0, "burst");
                Map<String, Duration> after = cpu(processes);
                long first = times.values().stream().mapToLong(t -> t.sentNanos).min().orElseThrow();
                long last = times.values().stream().mapToLong(t -> t.readNanos).max().orElseThrow();
                double seconds = (last - first) / 1e9;
                double perSecond = deposits / seconds;
                double total = 0;
                System.out.printf("%d deposits done in %.2f s: %.1f deposits/s%n", deposits, seconds, perSecond);
                System.out.printf("%-14s %10s %12s%n", "process", "CPU s", "ms/deposit");
                Map<String, Double> byRole = new LinkedHashMap<>();
                for (Line process : processes) {
                    double s = after.get(process.role()).minus(before.get(process.role())).toMillis() / 1000.0;
                    byRole.put(process.role(), s);
                    total += s;
                    System.out.printf("%-14s %10.2f %12.2f%n", process.role(), s, s * 1000 / deposits);
                }
                System.out.printf("%-14s %10.2f %12.2f%n", "all", total, total * 1000 / deposits);
                List<String> shares = new ArrayList<>();
                for (String service : List.of("checker", "loader")) {
                    shares.add(shares(admin, service, replicas, burst, byRole));
                }
                summary.add(String.format("%d replica(s): %.1f deposits/s, %.2f ms CPU/deposit (all processes); %s", replicas,
                        perSecond, total * 1000 / deposits, String.join("; ", shares)));
            }
        }
        System.out.printf("%nsummary (%d partitions, %d deposits each)%n", PARTITIONS, deposits);
        summary.forEach(System.out::println);
    }

    /** Each member of {@code service}'s group: its partitions, the deposits keyed to them, and each replica's CPU share. */
    private static String shares(Admin admin, String service, int replicas, List<StoredObject[]> burst,
                                 Map<String, Double> cpuByRole) throws Exception {
        String group = service + "-service";
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        String input = (service.equals("checker") ? Messages.DEPOSIT_RECEIVED : Messages.DEPOSIT_VERIFIED).topic().topicName();
        Map<Integer, Integer> perPartition = new TreeMap<>();
        for (StoredObject[] deposit : burst) {
            String depositId = deposit[0].key().split("/")[2];
            // The producer's default partitioner, as the key (the deposit id) decides for both topics
            int partition = Utils.toPositive(Utils.murmur2(depositId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            perPartition.merge(partition, 1, Integer::sum);
        }
        List<String> members = new ArrayList<>();
        for (MemberDescription member : description.members()) {
            List<Integer> partitions = member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(input))
                    .map(TopicPartition::partition).sorted().toList();
            int work = partitions.stream().mapToInt(p -> perPartition.getOrDefault(p, 0)).sum();
            members.add(partitions.size() + " partitions " + partitions + ", " + work + " deposits");
        }
        double cpuTotal = 0;
        List<String> cpu = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            cpuTotal += cpuByRole.getOrDefault(service + "-" + i, 0.0);
        }
        for (int i = 1; i <= replicas; i++) {
            cpu.add(String.format("%.0f%%", 100 * cpuByRole.getOrDefault(service + "-" + i, 0.0) / cpuTotal));
        }
        String line = service + ": " + description.members().size() + " member(s): " + String.join(" | ", members)
                + "; CPU shares " + String.join(" ", cpu);
        System.out.println(line);
        return line;
    }

    /** The stack's processes from its table ({@code DIR/processes}), but the stack's own (it only waits). */
    private static List<Line> processes(Path dataDir) throws Exception {
        List<Line> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("processes"))) {
            String[] fields = line.split(" ");
            if (fields.length >= 2 && !fields[0].equals("wharf-local-up")) {
                lines.add(new Line(fields[0], Long.parseLong(fields[1])));
            }
        }
        return lines;
    }

    /** Each process's CPU so far; PostgreSQL's with its backends (its children). */
    private static Map<String, Duration> cpu(List<Line> processes) {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        for (Line line : processes) {
            Optional<ProcessHandle> handle = ProcessHandle.of(line.pid());
            Duration own = handle.flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
            if (line.role().equals("postgres")) {
                own = own.plus(handle.map(h -> h.descendants().map(d -> d.info().totalCpuDuration().orElse(Duration.ZERO))
                        .reduce(Duration.ZERO, Duration::plus)).orElse(Duration.ZERO));
            }
            cpu.put(line.role(), own);
        }
        return cpu;
    }
}
