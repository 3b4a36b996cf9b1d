package org.wharf.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.wharf.checker.archive.ArchiveInspector;
import org.wharf.common.archive.ArchiveLimits;
import org.wharf.checker.archive.ArchiveReport;

/**
 * The deposit checker's archive inspection against the peer tools on the same archives, in one run:
 * {@code unzip -t} for zip, {@code tar -tzf} for tar.gz, {@code tar -tJf} for tar.xz. Prints the wall
 * times, their ratio (Wharf / peer; goal ≤ 1.2) and this JVM's peak heap.
 *
 * <p>Usage: {@code CheckerBenchmark [workDir] [smallArchives=200] [largeContentMiB=640]}; see bench/README.md.
 */
public final class CheckerBenchmark {

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-checker");
        int smallCount = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int largeMiB = args.length > 2 ? Integer.parseInt(args[2]) : 640;
        Files.createDirectories(work);
        Path scratch = Files.createDirectories(work.resolve("scratch"));

        List<Path> small = new ArrayList<>();
        for (int i = 0; i < smallCount; i++) {
            String format = switch (i % 3) { case 0 -> "zip"; case 1 -> "tar.gz"; default -> "tar.xz"; };
            Path archive = work.resolve("small-" + i + "." + format);
            if (!Files.exists(archive)) {
                writeSmall(archive, format, new Random(i));
            }
            small.add(archive);
        }
        Path large = work.resolve("large-" + largeMiB + "MiB.tar.gz");
        if (!Files.exists(large)) {
            System.out.printf("generating %s (%d MiB of content)...%n", large.getFileName(), largeMiB);
            writeLarge(large, largeMiB);
        }
        System.out.printf("archives: %d small (%.1f MiB), 1 large (%.1f MiB compressed)%n", small.size(),
                small.stream().mapToLong(CheckerBenchmark::size).sum() / 1048576.0, size(large) / 1048576.0);

        // Warm up the JIT on a few small archives: the checker is a long-running service.
        for (int i = 0; i < Math.min(20, small.size()); i++) {
            inspect(small.get(i), scratch);
        }
        resetPeaks();

        long wharfSmall = time(() -> { for (Path p : small) inspect(p, scratch); });
        long peerSmall = time(() -> { for (Path p : small) peer(p); });
        long wharfLarge = time(() -> inspect(large, scratch));
        long peerLarge = time(() -> peer(large));

        System.out.printf("%-28s %10s %10s %8s%n", "", "wharf ms", "peer ms", "ratio");
        row("small archives (" + small.size() + ")", wharfSmall, peerSmall);
        row("large archive (" + largeMiB + " MiB)", wharfLarge, peerLarge);
        row("all", wharfSmall + wharfLarge, peerSmall + peerLarge);
        System.out.printf("peak heap: %.1f MiB (max heap %.0f MiB)%n", peakHeap() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    private static void row(String name, long wharfNanos, long peerNanos) {
        System.out.printf("%-28s %10d %10d %8.2f%n", name, wharfNanos / 1_000_000, peerNanos / 1_000_000,
                (double) wharfNanos / peerNanos);
    }

    private static void inspect(Path archive, Path scratch) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            ArchiveReport report = new ArchiveInspector().inspect(in, ArchiveLimits.defaults(), scratch);
            if (!report.problems().isEmpty()) {
                throw new IllegalStateException(archive + ": " + report.problems());
            }
        }
    }

    private static void peer(Path archive) throws IOException, InterruptedException {
        String name = archive.getFileName().toString();
        List<String> command = name.endsWith(".zip") ? List.of("unzip", "-tqq", archive.toString())
                : name.endsWith(".tar.xz") ? List.of("tar", "-tJf", archive.toString())
                : List.of("tar", "-tzf", archive.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static long time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static void writeSmall(Path archive, String format, Random random) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive)) {
            if (format.equals("zip")) {
                try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
                    writeFiles(zip, random, ZipArchiveEntry::new);
                }
            } else {
                OutputStream compressed = format.equals("tar.gz") ? new GzipCompressorOutputStream(file) : new XZCompressorOutputStream(file);
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
                    writeFiles(tar, random, name -> new TarArchiveEntry(name));
                }
            }
        }
    }

    interface EntryFactory {
        ArchiveEntry entry(String name);
    }

    /** About 60 source-like files of 0.5 to 8 KiB in a few folders: a typical small research-software deposit. */
    private static <E extends ArchiveEntry> void writeFiles(ArchiveOutputStream<E> out, Random random, EntryFactory factory) throws IOException {
        for (int i = 0; i < 60; i++) {
            byte[] content = sourceLike(random, 512 + random.nextInt(8 * 1024));
            @SuppressWarnings("unchecked")
            E entry = (E) factory.entry("project/src/module" + (i % 5) + "/file" + i + ".py");
            if (entry instanceof TarArchiveEntry tar) {
                tar.setSize(content.length);
            }
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        }
    }

    /**
     * Large files of mixed content (a quarter text-like, the rest random, as data files and binaries
     * are), so that 640 MiB of content make an archive of more than 500 MiB.
     */
    private static void writeLarge(Path archive, int mib) throws IOException {
        Random random = new Random(7);
        int files = Math.max(1, mib / 64);
        long perFile = (long) mib * 1048576 / files;
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] chunk = new byte[1 << 20];
            for (int f = 0; f < files; f++) {
                TarArchiveEntry entry = new TarArchiveEntry("data/blob" + f + ".bin");
                entry.setSize(perFile);
                tar.putArchiveEntry(entry);
                for (long written = 0; written < perFile; written += chunk.length) {
                    if ((written / chunk.length) % 4 != 0) {
                        random.nextBytes(chunk);
                    } else {
                        byte[] text = sourceLike(random, chunk.length);
                        System.arraycopy(text, 0, chunk, 0, chunk.length);
                    }
                    tar.write(chunk, 0, (int) Math.min(chunk.length, perFile - written));
                }
                tar.closeArchiveEntry();
            }
        }
    }

    private static final String[] WORDS = {"def", "return", "self", "import", "numpy", "data", "value", "for",
            "in", "range", "if", "else", "print", "result", "class", "model", "=", "(", ")", ":", "\n    "};

    private static byte[] sourceLike(Random random, int size) {
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
