package org.wharf.checker.archive;

/**
 * Resource limits for {@link ArchiveInspector}. They are enforced on what is actually decompressed while
 * streaming, never on sizes announced by headers, which a hostile archive can fake.
 *
 * @param maxEntries           most entries (files, directories, links...) an archive may hold
 * @param maxUncompressedBytes most bytes an archive may expand to
 * @param maxCompressionRatio  highest accepted ratio of uncompressed bytes to compressed archive bytes; it is only
 *                             evaluated once {@link #RATIO_THRESHOLD_BYTES} have been uncompressed, so that small
 *                             archives of repetitive content are not flagged
 */
public record ArchiveLimits(long maxEntries, long maxUncompressedBytes, int maxCompressionRatio) {

    public static final long DEFAULT_MAX_ENTRIES = 1_000_000L;
    public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 10L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_COMPRESSION_RATIO = 200;
    /** Below this many uncompressed bytes the ratio is not meaningful (headers, tiny files) and is not checked. */
    public static final long RATIO_THRESHOLD_BYTES = 1024 * 1024;

    public ArchiveLimits {
        if (maxEntries < 1 || maxUncompressedBytes < 1 || maxCompressionRatio < 1) {
            throw new IllegalArgumentException("archive limits must be positive: " + maxEntries + ", "
                    + maxUncompressedBytes + ", " + maxCompressionRatio);
        }
    }

    public static ArchiveLimits defaults() {
        return new ArchiveLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_COMPRESSION_RATIO);
    }

    public ArchiveLimits withMaxEntries(long value) {
        return new ArchiveLimits(value, maxUncompressedBytes, maxCompressionRatio);
    }

    public ArchiveLimits withMaxUncompressedBytes(long value) {
        return new ArchiveLimits(maxEntries, value, maxCompressionRatio);
    }

    public ArchiveLimits withMaxCompressionRatio(int value) {
        return new ArchiveLimits(maxEntries, maxUncompressedBytes, value);
    }
}
