package org.wharf.common.archive;

import java.io.IOException;

import org.wharf.common.message.deposit.CheckDetail;

/**
 * Counts entries and decompressed bytes as they are streamed and stops the inspection (by throwing
 * {@link LimitExceeded}) as soon as a limit is crossed: nothing announced by a header is trusted.
 */
public final class Meter {

    /** Thrown to stop at the first limit crossed. An IOException so that it passes through library code. */
    public static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        private final transient CheckDetail detail;

        LimitExceeded(CheckDetail detail) {
            super(detail.summary());
            this.detail = detail;
        }

        /** The limit crossed: its summary, and the limit as the one field. */
        public CheckDetail detail() {
            return detail;
        }
    }

    private final ArchiveLimits limits;
    private final SourceStream source;
    private long entries;
    private long entryBytes;
    private long streamBytes;
    private CheckDetail exceeded;

    public Meter(ArchiveLimits limits, SourceStream source) {
        this.limits = limits;
        this.source = source;
    }

    public void entry() throws LimitExceeded {
        checkNotExceeded();
        entries++;
        if (entries > limits.maxEntries()) {
            tooManyEntries();
        }
    }

    public void tooManyEntries() throws LimitExceeded {
        throw exceed(ArchiveLimits.tooManyEntries(limits.maxEntries()), limits.maxEntries());
    }

    public void centralDirectoryTooLarge(long limit) throws LimitExceeded {
        throw exceed(ArchiveLimits.centralDirectoryTooLarge(limit), limit);
    }

    /** Entry content, as extraction would write it. */
    public void entryData(long n) throws LimitExceeded {
        checkNotExceeded();
        entryBytes += n;
        check(entryBytes);
    }

    /**
     * Everything decompressed (tar headers, padding, trailing data included): decompressing it costs as much as
     * entry content, so it is held to the same limits.
     */
    public void stream(long n) throws LimitExceeded {
        checkNotExceeded();
        streamBytes += n;
        check(streamBytes);
    }

    private void check(long uncompressed) throws LimitExceeded {
        if (uncompressed > limits.maxUncompressedBytes()) {
            throw exceed(ArchiveLimits.tooManyBytes(limits.maxUncompressedBytes()), limits.maxUncompressedBytes());
        }
        if (uncompressed >= ArchiveLimits.RATIO_THRESHOLD_BYTES) {
            // Compressed bytes read so far include what buffers read ahead, which only errs towards accepting.
            long compressed = source.count();
            if (compressed > 0 && (double) uncompressed / compressed > limits.maxCompressionRatio()) {
                throw exceed(ArchiveLimits.ratioTooHigh(limits.maxCompressionRatio()), limits.maxCompressionRatio());
            }
        }
    }

    private void checkNotExceeded() throws LimitExceeded {
        if (exceeded != null) {
            // a library swallowed the first exception: keep stopping
            throw new LimitExceeded(exceeded);
        }
    }

    private LimitExceeded exceed(String summary, long limit) {
        exceeded = CheckDetail.of(summary, Long.toString(limit));
        return new LimitExceeded(exceeded);
    }

    /** The limit crossed, or null. */
    public CheckDetail exceeded() {
        return exceeded;
    }

    public long entries() {
        return entries;
    }

    public long entryBytes() {
        return entryBytes;
    }
}
