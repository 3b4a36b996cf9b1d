package org.wharf.checker.archive;

import java.io.IOException;

import org.wharf.common.message.deposit.CheckDetail;

/**
 * Counts entries and decompressed bytes as they are streamed and stops the inspection (by throwing
 * {@link LimitExceeded}) as soon as a limit is crossed: nothing announced by a header is trusted.
 */
final class Meter {

    /** Thrown to stop at the first limit crossed. An IOException so that it passes through library code. */
    static final class LimitExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(CheckDetail detail) {
            super(detail.summary());
        }
    }

    private final ArchiveLimits limits;
    private final SourceStream source;
    private long entries;
    private long entryBytes;
    private long streamBytes;
    private CheckDetail exceeded;

    Meter(ArchiveLimits limits, SourceStream source) {
        this.limits = limits;
        this.source = source;
    }

    void entry() throws LimitExceeded {
        checkNotExceeded();
        entries++;
        if (entries > limits.maxEntries()) {
            tooManyEntries();
        }
    }

    void tooManyEntries() throws LimitExceeded {
        throw exceed(ArchiveProblems.tooManyEntries(limits.maxEntries()), limits.maxEntries());
    }

    void centralDirectoryTooLarge(long limit) throws LimitExceeded {
        throw exceed(ArchiveProblems.centralDirectoryTooLarge(limit), limit);
    }

    /** Entry content, as extraction would write it. */
    void entryData(long n) throws LimitExceeded {
        checkNotExceeded();
        entryBytes += n;
        check(entryBytes);
    }

    /**
     * Everything decompressed (tar headers, padding, trailing data included): decompressing it costs as much as
     * entry content, so it is held to the same limits.
     */
    void stream(long n) throws LimitExceeded {
        checkNotExceeded();
        streamBytes += n;
        check(streamBytes);
    }

    private void check(long uncompressed) throws LimitExceeded {
        if (uncompressed > limits.maxUncompressedBytes()) {
            throw exceed(ArchiveProblems.tooManyBytes(limits.maxUncompressedBytes()), limits.maxUncompressedBytes());
        }
        if (uncompressed >= ArchiveLimits.RATIO_THRESHOLD_BYTES) {
            // Compressed bytes read so far include what buffers read ahead, which only errs towards accepting.
            long compressed = source.count();
            if (compressed > 0 && (double) uncompressed / compressed > limits.maxCompressionRatio()) {
                throw exceed(ArchiveProblems.ratioTooHigh(limits.maxCompressionRatio()), limits.maxCompressionRatio());
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
    CheckDetail exceeded() {
        return exceeded;
    }

    long entries() {
        return entries;
    }

    long entryBytes() {
        return entryBytes;
    }
}
