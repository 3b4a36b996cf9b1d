package org.wharf.common.archive;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Resource limits of the {@link ArchiveReader}, the same for the checker and the loader
 * ({@code wharf.archive.*}): an archive the checker passed cannot exhaust the loader, and one sent
 * straight to the loader is held to the same bounds. They are enforced on what is actually
 * decompressed while streaming, never on sizes announced by headers, which a hostile archive can fake.
 *
 * @param maxEntries           most entries (files, directories, links...) an archive may hold
 * @param maxUncompressedBytes most bytes an archive may expand to (sparse files count at their real size)
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

    // Bounds on what the libraries would hold in memory; not configurable, real archives stay far below.
    /** xz lets the archive choose the decoder's dictionary size; "xz -9" needs 65 MiB. */
    public static final int XZ_MEMORY_LIMIT_KIB = 128 * 1024;
    /** Commons Compress keeps a gzip member's file name and comment in memory. */
    public static final int MAX_GZIP_HEADER_BYTES = 1024 * 1024;
    /** Headers of one tar entry (pax data, GNU long names, sparse maps): real ones are a few KiB. */
    public static final int MAX_TAR_HEADER_BYTES = 4 * 1024 * 1024;
    /** Global pax headers accumulate over the archive, so they get their own budget. */
    public static final int MAX_GLOBAL_PAX_BYTES = 4 * 1024 * 1024;
    /** Chained headers (pax, long name, long link...) are read recursively by Commons Compress: bound the depth. */
    public static final int MAX_TAR_HEADER_CHAIN = 32;
    /** Commons Compress holds the whole zip central directory in memory: bounded before it is opened. */
    public static final long MAX_CENTRAL_DIRECTORY_BYTES = 64L * 1024 * 1024;

    public ArchiveLimits {
        if (maxEntries < 1 || maxUncompressedBytes < 1 || maxCompressionRatio < 1) {
            throw new IllegalArgumentException("archive limits must be positive: " + maxEntries + ", "
                    + maxUncompressedBytes + ", " + maxCompressionRatio);
        }
    }

    public static ArchiveLimits defaults() {
        return new ArchiveLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_COMPRESSION_RATIO);
    }

    /**
     * {@code wharf.archive.max-entries}, {@code .max-uncompressed-bytes}, {@code .max-compression-ratio};
     * else their former names under {@code wharf.checker.archive}; else the defaults.
     */
    public static ArchiveLimits from(Binder binder) {
        return new ArchiveLimits(setting(binder, "max-entries", Long.class, DEFAULT_MAX_ENTRIES),
                setting(binder, "max-uncompressed-bytes", Long.class, DEFAULT_MAX_UNCOMPRESSED_BYTES),
                setting(binder, "max-compression-ratio", Integer.class, DEFAULT_MAX_COMPRESSION_RATIO));
    }

    private static <T> T setting(Binder binder, String name, Class<T> type, T fallback) {
        return binder.bind("wharf.archive." + name, type)
                .orElseGet(() -> binder.bind("wharf.checker.archive." + name, type).orElse(fallback));
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

    // What a crossed limit is called, in a DepositRejected and a DepositLoadFailed alike.

    public static String tooManyEntries(long limit) {
        return "archive exceeds the limit of " + limit + " entries";
    }

    public static String tooManyBytes(long limit) {
        return "archive exceeds the limit of " + limit + " uncompressed bytes";
    }

    public static String ratioTooHigh(long limit) {
        return "compression ratio above " + limit + ":1";
    }

    public static String centralDirectoryTooLarge(long limit) {
        return "zip central directory exceeds the limit of " + limit + " bytes";
    }
}
