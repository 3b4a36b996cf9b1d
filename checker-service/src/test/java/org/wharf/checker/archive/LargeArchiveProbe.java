package org.wharf.checker.archive;

import org.wharf.common.archive.ArchiveLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Run in a JVM of its own with the checker's heap cap ({@code -Xmx256m}): generates a tar.gz of the
 * given size on the fly (nothing on disk) and inspects it as it is produced. Prints one line of
 * figures; exits 0 if the archive was found fit.
 */
public final class LargeArchiveProbe {

    public static void main(String[] args) throws Exception {
        long mib = Long.parseLong(args[0]);
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread producer = new Thread(() -> produce(out, mib), "archive-producer");
        producer.start();
        Path scratch = Files.createTempDirectory("probe-scratch-");
        ArchiveReport report = new ArchiveInspector().inspect(in, ArchiveLimits.defaults(), scratch);
        producer.join();
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("format=%s size=%d uncompressed=%d entries=%d problems=%s peakHeapMiB=%d maxHeapMiB=%d%n",
                report.format(), report.size(), report.uncompressedBytes(), report.entries(), report.problems(),
                peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        Files.deleteIfExists(scratch);
        System.exit(report.problems().isEmpty() ? 0 : 1);
    }

    private static void produce(OutputStream sink, long mib) {
        GzipParameters fast = new GzipParameters();
        fast.setCompressionLevel(Deflater.BEST_SPEED);
        Random random = new Random(1);
        byte[] chunk = new byte[1 << 20];
        long files = Math.max(1, mib / 128);
        long perFile = mib * (1L << 20) / files;
        try (OutputStream o = sink;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(o, fast))) {
            for (long f = 0; f < files; f++) {
                TarArchiveEntry entry = new TarArchiveEntry("data/part" + f + ".bin");
                entry.setSize(perFile);
                tar.putArchiveEntry(entry);
                for (long written = 0; written < perFile; written += chunk.length) {
                    random.nextBytes(chunk); // incompressible: the archive is as large as its content
                    tar.write(chunk, 0, (int) Math.min(chunk.length, perFile - written));
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
