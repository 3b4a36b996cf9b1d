package org.wharf.common.s3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wharf.common.util.Reasons;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Aborts the open multipart uploads under a bucket's prefix that no upload in progress owns, at
 * start-up and then at a fixed interval. A failed upload aborts itself ({@link S3Uploads}), but not
 * while the store is away (the abort fails too), and a process killed in the middle leaves its upload
 * behind; S3 keeps their parts, and bills them, until someone aborts. The service whose prefix it is
 * records a key as in progress before its upload starts, so a key it does not have in progress is
 * nobody's: those keys are read before and after the listing, so that an upload starting or ending
 * meanwhile is kept. The prefix must be the service's alone.
 */
public final class AbandonedUploads implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AbandonedUploads.class);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Supplier<Set<String>> keysInProgress;
    private final Duration every;
    private ScheduledExecutorService sweeper;

    /**
     * @param keysInProgress the keys whose uploads may be running now (read from the service's own schema)
     * @param every          how long between sweeps; positive
     */
    public AbandonedUploads(S3Client s3, String bucket, String prefix, Supplier<Set<String>> keysInProgress, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the interval between sweeps of abandoned uploads must be positive (it is " + every + ")");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.keysInProgress = keysInProgress;
        this.every = every;
    }

    /** Aborts the abandoned uploads; returns their keys. Store or schema away: none now, the next sweep tries again. */
    public List<String> sweep() {
        List<String> aborted = new ArrayList<>();
        try {
            Set<String> before = keysInProgress.get();
            List<MultipartUpload> open = s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix))
                    .uploads().stream().toList();
            if (open.isEmpty()) {
                return aborted;
            }
            Set<String> after = keysInProgress.get();
            for (MultipartUpload upload : open) {
                if (before.contains(upload.key()) || after.contains(upload.key())) {
                    continue;
                }
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                } catch (NoSuchUploadException gone) {
                    continue; // completed or aborted meanwhile
                }
                aborted.add(upload.key());
                log.info("aborted the abandoned upload {} of s3://{}/{} (no upload in progress owns it)", upload.uploadId(),
                        bucket, upload.key());
            }
        } catch (RuntimeException e) {
            log.info("the sweep of abandoned uploads in s3://{}/{} waits for the next one: {}", bucket, prefix, Reasons.of(e));
        }
        return aborted;
    }

    @Override
    public synchronized void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "abandoned-upload-sweep");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sweeper != null;
    }
}
