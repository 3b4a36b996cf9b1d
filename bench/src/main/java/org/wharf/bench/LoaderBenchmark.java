package org.wharf.bench;

import static org.wharf.bench.Percentiles.median;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.s3.S3Uploads;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.topic.Topic;
import org.wharf.loader.LoaderApplication;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The deposit loader against {@code git init && git add -A && git write-tree} on the same trees, in one
 * run: one tree of many small files, one of a few large files. Wharf's side is a whole load, through
 * Kafka, by the loader-service running as its own process with a 256 MiB heap: DepositVerified sent →
 * the archive read from the deposits bucket → every content, directory, release, snapshot and visit
 * stored (contents in the archive bucket) → DepositLoaded received. Git's side starts from the extracted
 * tree on disk. Before each of Wharf's runs the archive is emptied, so nothing is deduplicated away.
 *
 * <p>Prints each run, the medians, their ratio (Wharf / git; goal ≤ 1.0) and the loader's peak heap.
 * Usage: {@code LoaderBenchmark [workDir] [smallFiles=20000] [largeFiles=5] [largeMiB=64] [runs=3] [format=tar.gz|tar]}.
 */
public final class LoaderBenchmark {

    private static final String ARCHIVE_TABLES = "loader.content, loader.archive_object, loader.skipped_content, "
            + "loader.directory_entry, loader.directory, loader.snapshot_branch, loader.snapshot, loader.release, "
            + "loader.origin_visit, loader.origin";

    record Tree(String name, Path root, Path archive, long files, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-loader").toAbsolutePath();
        int smallFiles = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int largeFiles = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int largeMiB = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        String format = args.length > 5 ? args[5] : "tar.gz";
        Files.createDirectories(work);

        Tree small = tree(work, "small-" + smallFiles, format, root -> writeSmallTree(root, smallFiles, 1));
        Tree large = tree(work, "large-" + largeFiles + "x" + largeMiB + "MiB", format, root -> writeLargeTree(root, largeFiles, largeMiB));
        Tree warmUp = tree(work, "warm-up", format, root -> writeSmallTree(root, 2_000, 2));
        List<Tree> trees = List.of(small, large);
        for (Tree t : trees) {
            System.out.printf("%s: %d files, %.1f MiB, archive %s %.1f MiB%n", t.name(), t.files(), t.bytes() / 1048576.0,
                    format, Files.size(t.archive()) / 1048576.0);
        }

        Path infraDir = work.resolve("infra");
        Folders.deleteRecursively(infraDir);
        Path loaderLog = work.resolve("loader.log");
        try (LocalInfrastructure infra = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, infraDir);
             S3Client s3 = S3Clients.create(infra.s3());
             KafkaTestClient kafka = new KafkaTestClient(infra.bootstrapServers())) {
            JdbcTemplate superuser = new JdbcTemplate(infra.postgres().superuser());
            Map<String, Object> properties = new HashMap<>(infra.serviceProperties("loader"));
            properties.put("wharf.loader.scratch-directory", work.resolve("scratch").toString());
            Process loader = ServiceProcess.start(LoaderApplication.class, LoaderApplication.SERVICE_NAME, properties, 256, loaderLog, null);
            try {
                compare(work, loaderLog, s3, kafka, infra.bootstrapServers(), superuser, trees, warmUp, runs);
            } finally {
                stop(loader); // before the infrastructure it uses
            }
        } finally {
            Folders.deleteRecursively(infraDir);
        }
    }

    private static void compare(Path work, Path loaderLog, S3Client s3, KafkaTestClient kafka, String bootstrapServers,
                                JdbcTemplate superuser,
                                List<Tree> trees, Tree warmUp, int runs) throws Exception {
        for (Tree t : Stream.concat(trees.stream(), Stream.of(warmUp)).toList()) {
            S3Uploads.putFile(s3, LocalInfrastructure.DEPOSITS_BUCKET, "bench/" + t.name(), t.archive(), S3Uploads.DEFAULT_PART_SIZE);
        }

        // The loader is a long-running service: warm its JIT up first.
        for (int i = 0; i < 3; i++) {
            load(kafka, bootstrapServers, warmUp, new String[1]);
            empty(s3, superuser);
        }

        Map<Tree, List<Long>> wharf = new HashMap<>();
        Map<Tree, List<Long>> git = new HashMap<>();
        System.out.printf("%-22s %4s %10s %10s%n", "tree", "run", "wharf ms", "git ms");
        for (int run = 1; run <= runs; run++) {
            for (Tree t : trees) {
                empty(s3, superuser);
                String[] directory = new String[1];
                long wharfMs = load(kafka, bootstrapServers, t, directory);
                Folders.deleteRecursively(t.root().resolve(".git")); // the previous run's, outside git's window
                long start = System.nanoTime();
                String gitTree = gitWriteTree(work, t.root());
                long gitMs = (System.nanoTime() - start) / 1_000_000;
                if (!directory[0].equals("swh:1:dir:" + gitTree)) {
                    throw new IllegalStateException("ids differ for " + t.name() + ": " + directory[0] + " vs " + gitTree);
                }
                wharf.computeIfAbsent(t, k -> new ArrayList<>()).add(wharfMs);
                git.computeIfAbsent(t, k -> new ArrayList<>()).add(gitMs);
                System.out.printf("%-22s %4d %10d %10d%n", t.name(), run, wharfMs, gitMs);
            }
        }
        Long stored = superuser.queryForObject("select coalesce(sum(size), 0) from loader.archive_object", Long.class);
        System.out.printf("%nmedians (the same directory ids as git in every run)%n");
        System.out.printf("%-22s %10s %10s %8s%n", "", "wharf ms", "git ms", "ratio");
        long wharfAll = 0;
        long gitAll = 0;
        for (Tree t : trees) {
            long w = median(wharf.get(t));
            long g = median(git.get(t));
            wharfAll += w;
            gitAll += g;
            System.out.printf("%-22s %10d %10d %7.2fx%n", t.name(), w, g, (double) w / g);
        }
        System.out.printf("%-22s %10d %10d %7.2fx%n", "both", wharfAll, gitAll, (double) wharfAll / gitAll);
        System.out.printf("bytes in the archive bucket after the last load: %.1f MiB%n", stored / 1048576.0);
        System.out.printf("loader peak heap: %d MiB (heap capped at 256 MiB)%n",
                ServiceProcess.peakHeapMiB(Files.readString(loaderLog)));
    }


    /** The archive's sha256, as the checker would have verified it (the loader checks it again). */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DigestUtils.sha256Hex(in);
        }
    }

    private static void stop(Process loader) throws InterruptedException {
        loader.destroy();
        if (!loader.waitFor(30, TimeUnit.SECONDS)) {
            loader.destroyForcibly();
        }
    }

    /**
     * One load, timed from sending DepositVerified to receiving DepositLoaded. The reader of the loader's
     * events is set up before the clock starts, so the figure is Wharf's and not the harness's.
     */
    private static long load(KafkaTestClient kafka, String bootstrapServers, Tree tree, String[] directory) throws IOException {
        String depositId = UUID.randomUUID().toString();
        DepositVerified verified = new DepositVerified(depositId, "bench", "bench", "https://bench.example.org/" + depositId,
                new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, "bench/" + tree.name(), Files.size(tree.archive()), sha256(tree.archive())),
                new StoredObject(LocalInfrastructure.DEPOSITS_BUCKET, "bench/" + tree.name() + ".xml", null, null), null,
                "1.0", null, null, Instant.now());
        String topic = Topic.LOADER_EVENTS.topicName();
        try (KafkaConsumer<String, byte[]> events = TopicTail.atEnd(bootstrapServers, topic, "loader")) {
            long start = System.nanoTime();
            kafka.send(Messages.DEPOSIT_VERIFIED, depositId, verified);
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(100))) {
                    Envelope envelope = KafkaTestClient.envelope(record);
                    if (!depositId.equals(record.key()) || Messages.DEPOSIT_LOADING.is(envelope)) {
                        continue;
                    }
                    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                    if (!Messages.DEPOSIT_LOADED.is(envelope)) {
                        throw new IllegalStateException("the load of " + tree.name() + " ended with " + envelope.type() + ": "
                                + new String(envelope.data(), StandardCharsets.UTF_8));
                    }
                    directory[0] = Messages.DEPOSIT_LOADED.read(envelope).directory();
                    return elapsedMs;
                }
            }
            throw new IllegalStateException("the load of " + tree.name() + " did not end within 10 minutes");
        }
    }

    /** Empties the archive (bucket and tables), so that the next load stores everything again. */
    static void empty(S3Client s3, JdbcTemplate superuser) {
        List<ObjectIdentifier> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(LocalInfrastructure.ARCHIVE_BUCKET)).contents()
                .forEach(o -> keys.add(ObjectIdentifier.builder().key(o.key()).build()));
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000));
            s3.deleteObjects(b -> b.bucket(LocalInfrastructure.ARCHIVE_BUCKET).delete(d -> d.objects(batch)));
        }
        superuser.execute("truncate " + ARCHIVE_TABLES);
    }

    /** {@code git init && git add -A && git write-tree} in {@code root}, which must hold no {@code .git}. */
    static String gitWriteTree(Path work, Path root) throws IOException, InterruptedException {
        if (Files.exists(root.resolve(".git"))) {
            throw new IllegalStateException(root + "/.git is left from a previous run: remove it outside the timed window");
        }
        Path home = Files.createDirectories(work.resolve("git-home"));
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "git init -q && git add -A && git write-tree")
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("HOME", home.toString());
        Process git = builder.start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (git.waitFor() != 0) {
            throw new IllegalStateException("git failed in " + root);
        }
        return out;
    }

    interface TreeWriter {
        void write(Path root) throws IOException;
    }

    /** A tree and its archive, generated once and kept in the work folder for the next run. */
    static Tree tree(Path work, String name, String format, TreeWriter writer) throws IOException {
        Path root = work.resolve(name);
        Path archive = work.resolve(name + "." + format);
        if (!Files.exists(archive)) {
            System.out.printf("generating %s...%n", name);
            Folders.deleteRecursively(root);
            Files.createDirectories(root);
            writer.write(root);
            Path partial = work.resolve(name + ".partial");
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                if (format.equals("tar")) {
                    tar(root, file);
                } else {
                    GzipParameters fast = new GzipParameters();
                    fast.setCompressionLevel(1);
                    try (OutputStream gz = new GzipCompressorOutputStream(file, fast)) {
                        tar(root, gz);
                    }
                }
            }
            Files.move(partial, archive);
        }
        long[] counts = new long[2];
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(p -> !p.startsWith(root.resolve(".git")) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> {
                        counts[0]++;
                        counts[1] += p.toFile().length();
                    });
        }
        return new Tree(name, root, archive, counts[0], counts[1]);
    }

    /** Source-like: nested folders of text files (100 B to 8 KiB), some executables and symlinks. */
    static void writeSmallTree(Path root, int files, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz     \n{}();=+-_".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("module-" + (i / 2000)).resolve("pkg-" + (i / 50 % 40));
            Files.createDirectories(dir);
            byte[] content = new byte[100 + random.nextInt(8092)];
            for (int j = 0; j < content.length; j++) {
                content[j] = alphabet[random.nextInt(alphabet.length)];
            }
            Path file = dir.resolve("File" + i + ".java");
            Files.write(file, content);
            if (i % 97 == 0) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (i % 499 == 0) {
                Files.createSymbolicLink(dir.resolve("link-" + i), Path.of("File" + i + ".java"));
            }
        }
    }

    /** A few large files of incompressible bytes, each MiB different. */
    static void writeLargeTree(Path root, int files, int mib) throws IOException {
        Random random = new Random(3);
        byte[] block = new byte[1 << 20];
        random.nextBytes(block);
        for (int i = 0; i < files; i++) {
            try (OutputStream out = Files.newOutputStream(root.resolve("data-" + i + ".bin"))) {
                for (int b = 0; b < mib; b++) {
                    block[0] = (byte) i;
                    block[1] = (byte) b;
                    block[2] = (byte) (b >> 8);
                    out.write(block);
                }
            }
        }
    }

    private static void tar(Path root, OutputStream target) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(target, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root) && !p.startsWith(root.resolve(".git"))).sorted().toList();
        }
        for (Path path : paths) {
            String name = root.relativize(path).toString();
            if (Files.isSymbolicLink(path)) {
                TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                entry.setLinkName(Files.readSymbolicLink(path).toString());
                tar.putArchiveEntry(entry);
            } else if (Files.isDirectory(path)) {
                tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
            } else {
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(Files.size(path));
                entry.setMode(Files.isExecutable(path) ? 0100755 : 0100644);
                tar.putArchiveEntry(entry);
                Files.copy(path, tar);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
    }
}
