package org.wharf.loader.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.wharf.common.s3.S3Breaker;
import org.wharf.loader.archive.internal.ArchiveRows;
import org.wharf.loader.swhid.ObjectId;
import org.wharf.loader.swhid.SwhIdentifiers;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The content-addressed archive: contents in the archive bucket, the graph in the {@code loader}
 * schema. {@link #begin} stores a deposit's objects while its archive is read; {@link #recordVisit}
 * records the release, the snapshot and the origin visit; {@link #read} finds a content by its id.
 */
@Component
@EnableConfigurationProperties(ArchiveSettings.class)
public class ObjectArchive implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ObjectArchive.class);
    private static final Duration STALE_SPOOL_AGE = Duration.ofHours(6);

    private final ArchiveSettings settings;
    private final ArchiveRows rows;
    private final S3Client s3;
    private final S3Breaker breaker;
    private final StoreObserver observer;
    private final Path scratch;
    private final ExecutorService uploader;

    public ObjectArchive(ArchiveSettings settings, ArchiveRows rows, S3Client s3, S3Breaker breaker,
                         ObjectProvider<StoreObserver> observer,
                         @Value("${wharf.loader.scratch-directory:${java.io.tmpdir}/wharf-loader}") Path scratch) {
        this.settings = settings;
        this.rows = rows;
        this.s3 = s3;
        this.breaker = breaker;
        this.observer = observer.getIfAvailable(() -> StoreObserver.NONE);
        this.scratch = scratch;
        removeStaleSpoolFiles(scratch);
        AtomicInteger threads = new AtomicInteger();
        this.uploader = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "loader-upload-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A loader killed mid-load leaves its scratch files behind. Only old ones go: replicas on one host
     * may share the folder, and a live load writes and uploads its files within minutes.
     */
    private static void removeStaleSpoolFiles(Path scratch) {
        if (!Files.isDirectory(scratch)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE_SPOOL_AGE);
        try (Stream<Path> files = Files.list(scratch)) {
            files.filter(f -> f.getFileName().toString().endsWith(ArchiveLoad.SPOOL_SUFFIX)).forEach(f -> {
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(f);
                        log.info("removed {}, left by an interrupted load", f);
                    }
                } catch (IOException e) {
                    log.warn("could not remove the stale scratch file {}: {}", f, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("could not list the scratch folder {}: {}", scratch, e.getMessage());
        }
    }

    public ArchiveSettings settings() {
        return settings;
    }

    /**
     * Starts storing a deposit's objects. What an earlier, interrupted load of the same deposit
     * claimed but never finished storing is removed first, objects included.
     */
    public ArchiveLoad begin(String depositId) {
        for (String key : rows.unfinishedUploads(depositId)) {
            breaker.call(() -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(key)));
            rows.forget(key);
            log.info("deposit {}: removed {}, left unfinished by an interrupted load", depositId, key);
        }
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scratch folder " + scratch, e);
        }
        return new ArchiveLoad(depositId, settings, rows, s3, breaker, observer, uploader, scratch);
    }

    /**
     * Records the release ({@code releaseDate} as the depositor gave it), the snapshot and a new visit of
     * the origin; returns the visit number. Call it in the transaction that ends the load.
     */
    public int recordVisit(String depositId, String originUrl, SwhIdentifiers.Release release, OffsetDateTime releaseDate,
                           ObjectId snapshot, Map<byte[], SwhIdentifiers.Branch> branches, OffsetDateTime visitDate) {
        rows.release(release, releaseDate);
        rows.snapshot(snapshot, branches);
        return rows.visit(originUrl, snapshot, depositId, visitDate);
    }

    /**
     * A content's bytes, by its id: one row of the schema, one (ranged) read of the bucket. Empty if the
     * archive does not have it, or has it only as a skipped content.
     */
    public Optional<InputStream> read(ObjectId id) {
        ArchiveRows.Location location = rows.location(id);
        if (location == null || !location.stored()) {
            return Optional.empty();
        }
        if (location.length() == 0) {
            return Optional.of(new ByteArrayInputStream(new byte[0]));
        }
        String range = "bytes=" + location.offset() + "-" + (location.offset() + location.length() - 1);
        return Optional.of(breaker.call(() -> s3.getObject(b -> b.bucket(settings.bucket()).key(location.key()).range(range))));
    }

    /** Whether the archive knows this content as skipped (too large to store). */
    public boolean isSkipped(ObjectId id) {
        return rows.isSkipped(id);
    }

    @Override
    public void close() throws InterruptedException {
        uploader.shutdown();
        if (!uploader.awaitTermination(30, TimeUnit.SECONDS)) {
            uploader.shutdownNow();
        }
    }
}
