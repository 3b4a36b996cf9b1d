package org.wharf.common.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wharf.common.message.deposit.CheckDetail;

/**
 * The one reader of deposited archives, shared by the checker (which judges the entries) and the
 * loader (which hashes them): format detected from content, never from a name (zip, or tar plain or
 * compressed with gzip, bzip2 or xz); every decompressed byte and every entry counted against the
 * {@link ArchiveLimits}, reading stopping at the first crossed; header sizes and decoder memory
 * bounded; the whole object counted and hashed (sha256). Nothing is extracted. The only file written
 * is, for zip, a copy in the scratch directory (its central directory is at the end), deleted before
 * returning.
 * <p>
 * Every problem of the archive is an {@link Outcome#refusal()}. What is not the archive's fault is
 * thrown: a failure of the caller's stream or of the scratch directory as the original
 * {@link IOException}, a {@link CallerFailure} as its original, and the handler's own {@code X}
 * unchanged. Stateless and thread-safe.
 * </p>
 */
public final class ArchiveReader {

    public static final String ZIP = "zip";
    public static final String TAR = "tar";

    /** What the caller does with the entries; the reader calls one of the two, once. */
    public interface Entries<X extends Exception> {
        void tar(TarReader tar) throws IOException, X;

        void zip(ZipReader zip) throws IOException, X;
    }

    /** Why an archive is not read through. */
    public sealed interface Refusal permits Unsupported, Unreadable, LimitCrossed {
    }

    /** Neither zip nor a (compressed) tar; {@code detected} names what it looks like, or is null. */
    public record Unsupported(String detected) implements Refusal {
    }

    /** Corrupt or truncated while reading {@code reading} (the format, or the compression before it is known). */
    public record Unreadable(String reading, Throwable cause) implements Refusal {
    }

    /** A limit was crossed: reading stopped there. */
    public record LimitCrossed(CheckDetail limit) implements Refusal {
    }

    /**
     * @param format     {@code zip}, {@code tar}, {@code tar.gz}, {@code tar.bz2}, {@code tar.xz}, or null when not an
     *                   archive of a supported format
     * @param size       bytes of the whole object; null when reading stopped at a limit
     * @param sha256     lowercase hex sha256 of those bytes; null likewise
     * @param entries    entries seen
     * @param entryBytes bytes of entry content, as decompressed
     * @param refusal    null when the archive was read through
     */
    public record Outcome(String format, Long size, String sha256, long entries, long entryBytes, Refusal refusal) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveReader.class);
    /**
     * Small on purpose for the caller's stream: what buffers read ahead counts as compressed input in the ratio, so a
     * big buffer would delay stopping a bomb (and read a small one whole).
     */
    private static final int SOURCE_BUFFER_SIZE = 8 * 1024;
    private static final int COPY_BUFFER_SIZE = 64 * 1024;
    private static final int DETECTION_BUFFER_SIZE = 512;

    private final ArchiveLimits limits;

    public ArchiveReader(ArchiveLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Reads {@code archive} (not closed) to its end, unless a limit is crossed, handing its entries to {@code entries}.
     * A {@link SourceStream} is read as it is, so that its owner can take the whole object's size and sha256 from it
     * afterwards, whatever the outcome.
     */
    public <X extends Exception> Outcome read(InputStream archive, Path scratchDir, Entries<X> entries) throws IOException, X {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(scratchDir, "scratchDir");
        SourceStream source = archive instanceof SourceStream own ? own : new SourceStream(archive);
        Meter meter = new Meter(limits, source);
        String format = null;
        String reading = null;
        Refusal refusal = null;
        InputStream decompressor = null;
        ReadAhead ahead = null;
        try {
            InputStream raw = new BufferedInputStream(source, SOURCE_BUFFER_SIZE);
            String container = detectArchive(raw);
            if (ZIP.equals(container)) {
                format = reading = ZIP;
                readZip(raw, scratchDir, meter, entries);
            } else if (TAR.equals(container)) {
                format = reading = TAR;
                entries.tar(new TarReader(raw, meter));
            } else {
                String compressor = detectCompressor(raw);
                String suffix = compressor == null ? null : switch (compressor) {
                    case CompressorStreamFactory.GZIP -> "gz";
                    case CompressorStreamFactory.BZIP2 -> "bz2";
                    case CompressorStreamFactory.XZ -> "xz";
                    default -> null;
                };
                if (suffix == null) {
                    refusal = new Unsupported(compressor != null ? compressor : container);
                } else {
                    reading = suffix;
                    decompressor = decompress(compressor, raw);
                    ahead = new ReadAhead(decompressor);
                    // Detection looks at one tar record; a corruption read ahead of it is thrown only when the
                    // reader gets there. Larger reads bypass such a small buffer anyway.
                    InputStream decompressed = new BufferedInputStream(ahead, DETECTION_BUFFER_SIZE);
                    if (TAR.equals(detectArchive(decompressed))) {
                        format = reading = TAR + "." + suffix;
                        entries.tar(new TarReader(decompressed, meter));
                    } else {
                        // e.g. a plain gzip-compressed file: Software Heritage only takes archives
                        refusal = new Unsupported(suffix);
                    }
                }
            }
            stop(ahead); // before draining: one thread at a time reads the source
            source.drain();
        } catch (CallerFailure e) {
            throw e.rethrow();
        } catch (Meter.LimitExceeded e) {
            // stop reading at once: the limit is the meter's
        } catch (IOException | RuntimeException e) {
            stop(ahead);
            if (source.failure() != null) {
                throw source.failure();
            }
            if (meter.exceeded() == null) {
                LOG.debug("unreadable {} archive", reading, e);
                refusal = new Unreadable(Objects.requireNonNullElse(reading, "unknown"), e);
                source.drain();
            }
        } finally {
            stop(ahead);
            closeQuietly(decompressor);
        }
        CheckDetail exceeded = meter.exceeded();
        if (exceeded != null) {
            refusal = new LimitCrossed(exceeded);
        }
        return new Outcome(format, exceeded == null ? source.count() : null, exceeded == null ? source.sha256Hex() : null,
                meter.entries(), meter.entryBytes(), refusal);
    }

    private static void stop(ReadAhead ahead) {
        if (ahead != null) {
            ahead.stop();
        }
    }

    /** Copies the zip into the scratch directory (Commons Compress needs random access), reads it, deletes it. */
    private <X extends Exception> void readZip(InputStream raw, Path scratchDir, Meter meter, Entries<X> entries)
            throws IOException, X {
        Path copy;
        try {
            copy = Files.createTempFile(scratchDir, "wharf-archive-", ".zip");
        } catch (IOException e) {
            throw CallerFailure.of(e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(copy)) {
                byte[] buffer = new byte[COPY_BUFFER_SIZE];
                int n;
                while ((n = raw.read(buffer)) != -1) {
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw CallerFailure.of(e);
                    }
                }
            } catch (IOException e) {
                // the caller's stream failed (then read() throws that failure), or closing the copy did
                throw CallerFailure.of(e);
            }
            try (ZipReader zip = ZipReader.open(copy, meter, limits)) {
                entries.zip(zip);
            }
        } finally {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                throw CallerFailure.of(e);
            }
        }
    }

    /** "zip", "tar" or another archiver's name, or null; from content only. */
    private static String detectArchive(InputStream in) throws IOException {
        try {
            return ArchiveStreamFactory.detect(in);
        } catch (ArchiveException e) {
            if (e.getCause() instanceof IOException cause) {
                throw cause; // a read failure, not an unknown signature
            }
            return null;
        }
    }

    /** A compressor's name, or null; from content only. */
    private static String detectCompressor(InputStream in) throws IOException {
        try {
            return CompressorStreamFactory.detect(in);
        } catch (CompressorException e) {
            if (e.getCause() instanceof IOException cause) {
                throw cause;
            }
            return null;
        }
    }

    private static InputStream decompress(String compressor, InputStream raw) throws IOException {
        // Concatenated streams (pigz, pbzip2, appended members) are one stream to gzip/bzip2/xz tools too.
        switch (compressor) {
            case CompressorStreamFactory.GZIP: {
                HeaderLimit limited = new HeaderLimit(raw, ArchiveLimits.MAX_GZIP_HEADER_BYTES);
                return GzipCompressorInputStream.builder()
                        .setInputStream(limited)
                        .setDecompressConcatenated(true)
                        .setOnMemberStart(member -> limited.headerRead())
                        .setOnMemberEnd(member -> limited.headerStarts())
                        .get();
            }
            case CompressorStreamFactory.BZIP2:
                return new BZip2CompressorInputStream(raw, true);
            case CompressorStreamFactory.XZ:
                return XZCompressorInputStream.builder()
                        .setInputStream(raw)
                        .setDecompressConcatenated(true)
                        .setMemoryLimitKiB(ArchiveLimits.XZ_MEMORY_LIMIT_KIB)
                        .get();
            default:
                throw new IllegalArgumentException(compressor);
        }
    }

    /** Bounds what a gzip member header may consume (its file name and comment are unbounded by the format). */
    private static final class HeaderLimit extends ObservedStream {
        private final long limit;
        private boolean inHeader = true;
        private long headerBytes;

        HeaderLimit(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        void headerStarts() {
            inHeader = true;
            headerBytes = 0;
        }

        void headerRead() {
            inHeader = false;
        }

        @Override
        protected void observed(byte[] buffer, int offset, int n) throws IOException {
            if (inHeader && (headerBytes += n) > limit) {
                throw new ArchiveCorrupt("gzip header exceeds " + limit + " bytes");
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close(); // releases the inflater; the caller's stream is not closed (see SourceStream)
            } catch (IOException e) {
                LOG.debug("closing a decompressor failed", e);
            }
        }
    }
}
