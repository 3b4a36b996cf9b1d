package org.wharf.loader.archive;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the loader stores objects ({@code wharf.loader.archive.*}).
 *
 * @param bucket the archive bucket
 * @param maxContentSize contents larger than this are recorded as skipped, not stored (Software
 *     Heritage's default is 100 MiB)
 * @param packThreshold contents up to this size are packed together, larger ones get an object of their own
 * @param packSize a pack is uploaded once it holds this much
 * @param uploadConcurrency uploads in flight per load; bounds the memory and scratch space a load holds
 * @param awaitOtherLoads how long a load waits for a content another load is still uploading
 * @param abandonedUploadSweep how often a large content's multipart upload that no load owns (its
 *     abort failed while the store was away, or its loader was killed) is aborted
 */
@ConfigurationProperties("wharf.loader.archive")
public record ArchiveSettings(
        @DefaultValue("wharf-archive") String bucket,
        @DefaultValue("100MB") DataSize maxContentSize,
        @DefaultValue("1MB") DataSize packThreshold,
        @DefaultValue("8MB") DataSize packSize,
        @DefaultValue("3") int uploadConcurrency,
        @DefaultValue("2m") Duration awaitOtherLoads,
        @DefaultValue("30s") Duration abandonedUploadSweep) {

    public ArchiveSettings {
        if (packThreshold.toBytes() > packSize.toBytes()) {
            throw new IllegalArgumentException("wharf.loader.archive.pack-threshold (" + packThreshold
                    + ") must not exceed pack-size (" + packSize + ")");
        }
        if (packSize.toBytes() > 256L * 1024 * 1024) {
            throw new IllegalArgumentException("wharf.loader.archive.pack-size must be at most 256MB: packs are built in memory");
        }
        if (abandonedUploadSweep.isNegative() || abandonedUploadSweep.isZero()) {
            throw new IllegalArgumentException("wharf.loader.archive.abandoned-upload-sweep must be positive, e.g. 30s");
        }
        if (uploadConcurrency < 1) {
            throw new IllegalArgumentException("wharf.loader.archive.upload-concurrency must be at least 1");
        }
    }
}
