package org.wharf.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.bench.LoaderBenchmark.Tree;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.Folders;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.s3.S3Uploads;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * A deposit as its depositor sees it, against {@code git init && git add -A && git write-tree} on the
 * extracted tree, in one run. Wharf's side runs on the local stack ({@code wharf local up}, a process of
 * its own, as an operator starts it) and is timed two ways: the {@code wharf deposit submit --wait}
 * process from its start to its exit (JVM start, upload, check, load, the answer read), and the same
 * calls made from a Java client already running (upload, DepositReceived published, DepositLoaded read).
 * Git's side starts from the extracted tree with no {@code .git}: the previous run's is removed outside
 * its window, as the archive is emptied outside Wharf's (so that nothing is deduplicated away).
 *
 * <p>Every run checks the directory id against git's. Prints each run, the medians and their ratios
 * (goal ≤ 1.0), where Wharf's time goes (from the deposit's own events: submit → received, received →
 * verified, verified → loading, loading → loaded, loaded → exit) and the time per file at each size.
 * Usage: {@code DepositBenchmark [workDir] [runs=3] [smallFiles=20000] [largeFiles=5] [largeMiB=64]
 * [sourcesJar=] [scaleSizes=2000,200000]}; {@code sourcesJar} is a real source tree (a
 * {@code -sources.jar} from Maven Central), named in the output; an empty scaleSizes skips the scaling.
 */
public final class DepositBenchmark {

    private static final String CLIENT = "bench";
    private static final String PROVIDER = "https://bench.example.org/";
    /** One Wharf deposit: its wall time, its directory id and the times of its events. */
    private record Deposit(long wallMs, String directory, Map<String, Instant> steps, Instant started, Instant ended) {
    }

    private record Row(String tree, long files, long cliMs, long javaMs, long gitMs, Map<String, Long> split) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-deposit").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int smallFiles = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int largeFiles = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int largeMiB = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        Path sourcesJar = args.length > 5 && !args[5].isBlank() ? Path.of(args[5]).toAbsolutePath() : null;
        List<Integer> scaleSizes = new ArrayList<>();
        for (String size : (args.length > 6 ? args[6] : "2000,200000").split(",")) {
            if (!size.isBlank()) {
                scaleSizes.add(Integer.parseInt(size.trim()));
            }
        }
        Files.createDirectories(work);

        List<Tree> trees = new ArrayList<>();
        trees.add(LoaderBenchmark.tree(work, "small-" + smallFiles, "tar.gz", root -> LoaderBenchmark.writeSmallTree(root, smallFiles, 1)));
        trees.add(LoaderBenchmark.tree(work, "large-" + largeFiles + "x" + largeMiB + "MiB", "tar.gz",
                root -> LoaderBenchmark.writeLargeTree(root, largeFiles, largeMiB)));
        if (sourcesJar != null) {
            String name = sourcesJar.getFileName().toString().replaceAll("\\.jar$", "");
            trees.add(LoaderBenchmark.tree(work, name, "tar.gz", root -> unzip(sourcesJar, root)));
        }
        List<Tree> scaling = new ArrayList<>();
        for (int size : scaleSizes) {
            scaling.add(size == smallFiles ? trees.get(0)
                    : LoaderBenchmark.tree(work, "small-" + size, "tar.gz", root -> LoaderBenchmark.writeSmallTree(root, size, 1)));
        }
        Tree warmUp = LoaderBenchmark.tree(work, "warm-up", "tar.gz", root -> LoaderBenchmark.writeSmallTree(root, 2_000, 2));
        for (Tree t : trees) {
            System.out.printf("%s: %d files, %.1f MiB, archive tar.gz %.1f MiB%n", t.name(), t.files(), t.bytes() / 1048576.0,
                    Files.size(t.archive()) / 1048576.0);
        }
        Path metadata = Files.writeString(work.resolve("metadata.xml"), """
                <?xml version="1.0"?>
                <entry xmlns="http://www.w3.org/2005/Atom"><title>Benchmark deposit</title><author><name>Bench</name></author></entry>
                """);

        try (LocalStack stack = LocalStack.start(work)) {
            JdbcTemplate superuser = stack.superuser();
            try (S3Client s3 = S3Clients.create(stack.s3); KafkaTestClient kafka = new KafkaTestClient(stack.bootstrap)) {
                stack.cli("client", "create", "--username", CLIENT, "--collection", CLIENT, "--provider-url", PROVIDER);
                // The services are long-running: their JIT warmed up first, as any platform's after its first hours.
                for (int i = 0; i < 3; i++) {
                    javaClient(stack, s3, kafka, warmUp, metadata);
                }
                List<Row> rows = new ArrayList<>();
                System.out.printf("%n%-34s %4s %10s %10s %10s%n", "tree", "run", "cli ms", "java ms", "git ms");
                for (int run = 1; run <= runs; run++) {
                    for (Tree t : trees) {
                        rows.add(round(stack, s3, kafka, superuser, work, t, metadata, run));
                    }
                }
                report(rows, trees);
                if (!scaling.isEmpty()) {
                    System.out.printf("%ncost per file as the tree grows (one run each, submit --wait process)%n");
                    System.out.printf("%-16s %8s %10s %10s %12s %12s%n", "tree", "files", "cli ms", "git ms", "cli ms/file", "git ms/file");
                    for (Tree t : scaling) {
                        Row r = round(stack, s3, kafka, superuser, work, t, metadata, 0);
                        System.out.printf("%-16s %8d %10d %10d %12.4f %12.4f%n", t.name(), t.files(), r.cliMs(), r.gitMs(),
                                (double) r.cliMs() / t.files(), (double) r.gitMs() / t.files());
                    }
                }
            }
        }
    }

    /** One tree: the CLI process, the Java client and git, each on an empty archive / a tree without .git. */
    private static Row round(LocalStack stack, S3Client s3, KafkaTestClient kafka,
                             JdbcTemplate superuser, Path work, Tree t, Path metadata, int run) throws Exception {
        LoaderBenchmark.empty(s3, superuser);
        Deposit viaCli = cliDeposit(stack, t, metadata);
        LoaderBenchmark.empty(s3, superuser);
        Deposit viaJava = run == 0 ? viaCli : javaClient(stack, s3, kafka, t, metadata);
        Folders.deleteRecursively(t.root().resolve(".git")); // the previous run's, outside git's window
        long start = System.nanoTime();
        String gitTree = LoaderBenchmark.gitWriteTree(work, t.root());
        long gitMs = (System.nanoTime() - start) / 1_000_000;
        for (Deposit d : List.of(viaCli, viaJava)) {
            if (!("swh:1:dir:" + gitTree).equals(d.directory())) {
                throw new IllegalStateException("ids differ for " + t.name() + ": " + d.directory() + " vs git's " + gitTree);
            }
        }
        if (run > 0) {
            System.out.printf("%-34s %4d %10d %10d %10d%n", t.name(), run, viaCli.wallMs(), viaJava.wallMs(), gitMs);
        }
        return new Row(t.name(), t.files(), viaCli.wallMs(), viaJava.wallMs(), gitMs, split(viaCli));
    }

    /** Where the CLI deposit's time went, from its events' times. */
    private static Map<String, Long> split(Deposit d) {
        Map<String, Long> split = new LinkedHashMap<>();
        Instant received = d.steps().get("deposited");
        Instant verified = d.steps().get("verified");
        Instant loading = d.steps().get("loading");
        Instant done = d.steps().get("done");
        split.put("start+upload", Duration.between(d.started(), received).toMillis());
        split.put("check", Duration.between(received, verified).toMillis());
        split.put("to loader", Duration.between(verified, loading).toMillis());
        split.put("load", Duration.between(loading, done).toMillis());
        split.put("answer+exit", Duration.between(done, d.ended()).toMillis());
        return split;
    }

    private static void report(List<Row> rows, List<Tree> trees) {
        System.out.printf("%nmedians (the same directory ids as git in every run)%n");
        System.out.printf("%-34s %10s %10s %10s %10s %10s%n", "", "cli ms", "java ms", "git ms", "cli/git", "java/git");
        for (Tree t : trees) {
            List<Row> of = rows.stream().filter(r -> r.tree().equals(t.name())).toList();
            long cli = Percentiles.median(of.stream().map(Row::cliMs).toList());
            long java = Percentiles.median(of.stream().map(Row::javaMs).toList());
            long git = Percentiles.median(of.stream().map(Row::gitMs).toList());
            System.out.printf("%-34s %10d %10d %10d %9.2fx %9.2fx%n", t.name(), cli, java, git, (double) cli / git, (double) java / git);
        }
        System.out.printf("%nwhere the time goes (submit --wait process, medians, ms)%n");
        List<String> parts = List.copyOf(rows.get(0).split().keySet());
        System.out.printf("%-34s", "");
        parts.forEach(p -> System.out.printf(" %12s", p));
        System.out.println();
        for (Tree t : trees) {
            List<Row> of = rows.stream().filter(r -> r.tree().equals(t.name())).toList();
            System.out.printf("%-34s", t.name());
            for (String p : parts) {
                System.out.printf(" %12d", Percentiles.median(of.stream().map(r -> r.split().get(p)).toList()));
            }
            System.out.println();
        }
    }

    /** {@code wharf deposit submit --wait}, a process of its own as a depositor starts it, timed start to exit. */
    private static Deposit cliDeposit(LocalStack stack, Tree t, Path metadata) throws Exception {
        Instant started = Instant.now();
        long start = System.nanoTime();
        String out = stack.cli("deposit", "submit", "--client", CLIENT, "--collection", CLIENT,
                "--archive", t.archive().toString(), "--metadata", metadata.toString(),
                "--origin", PROVIDER + UUID.randomUUID(), "--wait", "--json");
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        Instant ended = Instant.now();
        JsonNode status = WharfJson.MAPPER.readTree(out);
        if (!"done".equals(status.get("status").asString())) {
            throw new IllegalStateException("the deposit of " + t.name() + " ended " + status);
        }
        Map<String, Instant> steps = new LinkedHashMap<>();
        status.get("history").forEach(step -> steps.putIfAbsent(step.get("status").asString(), Instant.parse(step.get("time").asString())));
        return new Deposit(wallMs, status.get("directory").asString(), steps, started, ended);
    }

    /** The same calls from a Java client already running: upload, DepositReceived, DepositLoaded read. */
    private static Deposit javaClient(LocalStack stack, S3Client s3, KafkaTestClient kafka, Tree t, Path metadata)
            throws Exception {
        String depositId = UUID.randomUUID().toString();
        String bucket = stack.depositsBucket;
        try (KafkaConsumer<String, byte[]> events = TopicTail.atEnd(stack.bootstrap,
                List.of(Topic.CHECKER_EVENTS.topicName(), Topic.LOADER_EVENTS.topicName()), "checker and loader")) {
            Instant started = Instant.now();
            long start = System.nanoTime();
            String prefix = "deposits/" + CLIENT + "/" + depositId + "/";
            S3Uploads.putFile(s3, bucket, prefix + t.archive().getFileName(), t.archive(), S3Uploads.DEFAULT_PART_SIZE);
            s3.putObject(b -> b.bucket(bucket).key(prefix + "metadata.xml"), RequestBody.fromFile(metadata));
            // The sha256 is the depositor's to announce: computed here inside the window, as the CLI does.
            kafka.send(Messages.DEPOSIT_RECEIVED, depositId, new DepositReceived(depositId, CLIENT, CLIENT, PROVIDER + depositId,
                    new StoredObject(bucket, prefix + t.archive().getFileName(), Files.size(t.archive()), LoaderBenchmark.sha256(t.archive())),
                    new StoredObject(bucket, prefix + "metadata.xml", null, null), Instant.now()));
            long deadline = start + Duration.ofMinutes(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(20))) {
                    if (!depositId.equals(record.key())) {
                        continue;
                    }
                    Envelope e = KafkaTestClient.envelope(record);
                    if (Messages.DEPOSIT_LOADED.is(e)) {
                        long wallMs = (System.nanoTime() - start) / 1_000_000;
                        return new Deposit(wallMs, Messages.DEPOSIT_LOADED.read(e).directory(), Map.of(), started, Instant.now());
                    }
                    if (Messages.DEPOSIT_REJECTED.is(e) || Messages.DEPOSIT_LOAD_FAILED.is(e)) {
                        throw new IllegalStateException("the deposit of " + t.name() + " ended with " + e.type() + ": "
                                + new String(e.data(), StandardCharsets.UTF_8));
                    }
                }
            }
            throw new IllegalStateException("the deposit of " + t.name() + " did not end within 30 minutes");
        }
    }

    private static void unzip(Path jar, Path root) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("entry outside the tree: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
    }

}
