package org.wharf.checker.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.wharf.common.message.deposit.CheckDetail;

/**
 * Decides whether a deposited archive is fit to load: supported format (detected from content, never from a
 * name), readable to its end, no hostile entries, within the resource limits. Nothing is extracted: headers are
 * read, contents are streamed through counters. The only file written is, for zip, a copy of the archive in the
 * scratch directory (the central directory is at its end), deleted before returning.
 * <p>
 * Stateless and thread-safe. Memory does not grow with the archive's size: buffers, about 16 bytes per entry for
 * duplicate detection and, for zip, Commons Compress's view of the central directory, bounded before it is loaded.
 * </p>
 */
public final class ArchiveInspector {

    public static final String ZIP = "zip";
    public static final String TAR = "tar";
    public static final String TAR_GZ = "tar.gz";
    public static final String TAR_BZ2 = "tar.bz2";
    public static final String TAR_XZ = "tar.xz";

    /** xz lets the archive choose the decoder's dictionary size; "xz -9" needs 65 MiB. */
    static final int XZ_MEMORY_LIMIT_KIB = 128 * 1024;
    /** Commons Compress keeps a gzip member's file name and comment in memory. */
    static final int MAX_GZIP_HEADER_BYTES = 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(ArchiveInspector.class.getName());
    /**
     * Small on purpose for the caller's stream: what buffers read ahead counts as compressed input in the ratio, so a
     * big buffer would delay stopping a bomb (and read a small one whole).
     */
    private static final int SOURCE_BUFFER_SIZE = 8 * 1024;
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int DETECTION_BUFFER_SIZE = 512;

    /**
     * Reads {@code archive} to its end (unless a resource limit is crossed: then reading stops at once) and reports
     * on it. Does not close {@code archive}.
     *
     * @throws IOException only when {@code archive} itself fails or the scratch directory cannot be used: both are
     *                     transient, the caller retries. Every problem of the archive is in the report instead.
     */
    public ArchiveReport inspect(InputStream archive, ArchiveLimits limits, Path scratchDir) throws IOException {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(scratchDir, "scratchDir");
        SourceStream source = new SourceStream(archive);
        Findings findings = new Findings();
        Meter meter = new Meter(limits, source);
        EntryChecks checks = new EntryChecks(findings);
        Inspection inspection = new Inspection(source, findings, meter, checks, limits, scratchDir);

        inspection.run();

        CheckDetail exceeded = meter.exceeded();
        if (exceeded != null) {
            findings.add(exceeded.summary(), exceeded.fields());
        } else {
            checks.finish();
            applyOnlyOneArchiveRule(inspection.format, meter, checks, findings);
        }
        return new ArchiveReport(inspection.format,
                exceeded == null ? source.count() : null,
                exceeded == null ? source.sha256Hex() : null,
                meter.entries(), meter.entryBytes(), findings.toList());
    }

    /** Software Heritage rejects an archive whose single entry is itself an archive (judged by its name). */
    private static void applyOnlyOneArchiveRule(String format, Meter meter, EntryChecks checks, Findings findings) {
        if (format == null || findings.contains(ArchiveProblems.UNREADABLE) || meter.entries() != 1) {
            return;
        }
        EntryChecks.Scanned only = checks.first();
        if (only != null && EntryNames.looksLikeArchive(only.listed())) {
            findings.add(ArchiveProblems.ONLY_ONE_ARCHIVE, List.of(only.display()));
        }
    }

    /** State of one call. */
    private static final class Inspection {
        private final SourceStream source;
        private final Findings findings;
        private final Meter meter;
        private final EntryChecks checks;
        private final ArchiveLimits limits;
        private final Path scratchDir;
        /** The format reported. */
        String format;
        /** What is being read, named in an "unreadable" problem: the format, or the compression before it is known. */
        String reading;

        Inspection(SourceStream source, Findings findings, Meter meter, EntryChecks checks, ArchiveLimits limits,
                Path scratchDir) {
            this.source = source;
            this.findings = findings;
            this.meter = meter;
            this.checks = checks;
            this.limits = limits;
            this.scratchDir = scratchDir;
        }

        void run() throws IOException {
            InputStream raw = new BufferedInputStream(source, SOURCE_BUFFER_SIZE);
            InputStream decompressor = null;
            try {
                String container = detectArchive(raw);
                if (ZIP.equals(container)) {
                    format = reading = ZIP;
                    inspectZip(raw);
                } else if (TAR.equals(container)) {
                    format = reading = TAR;
                    new TarInspection(meter, checks).inspect(raw);
                } else {
                    String compressor = detectCompressor(raw);
                    String suffix = compressor == null ? null : switch (compressor) {
                        case CompressorStreamFactory.GZIP -> "gz";
                        case CompressorStreamFactory.BZIP2 -> "bz2";
                        case CompressorStreamFactory.XZ -> "xz";
                        default -> null;
                    };
                    if (suffix == null) {
                        String detected = compressor != null ? compressor : container;
                        findings.add(ArchiveProblems.UNSUPPORTED, detected == null ? List.of() : List.of(detected));
                    } else {
                        reading = suffix;
                        decompressor = decompress(compressor, raw);
                        // Detection looks at one tar record; reading further ahead could run into a corruption
                        // before the format is known. Larger reads bypass such a small buffer anyway.
                        InputStream decompressed = new BufferedInputStream(decompressor, DETECTION_BUFFER_SIZE);
                        if (TAR.equals(detectArchive(decompressed))) {
                            format = reading = TAR + "." + suffix;
                            new TarInspection(meter, checks).inspect(decompressed);
                        } else {
                            // e.g. a plain gzip-compressed file: Software Heritage only takes archives
                            findings.add(ArchiveProblems.UNSUPPORTED, List.of(suffix));
                        }
                    }
                }
                source.drain();
            } catch (Meter.LimitExceeded e) {
                // stop reading at once: reported by the caller from the meter
            } catch (ScratchFailure e) {
                throw e.original();
            } catch (IOException | RuntimeException e) {
                if (source.failure() != null) {
                    throw source.failure();
                }
                if (meter.exceeded() == null) {
                    LOG.log(System.Logger.Level.DEBUG, "unreadable " + reading + " archive", e);
                    findings.unreadable(Objects.requireNonNullElse(reading, "unknown"), null);
                    source.drain();
                }
            } finally {
                closeQuietly(decompressor);
            }
        }

        /** Copies the zip into the scratch directory (Commons Compress needs random access), inspects, deletes. */
        private void inspectZip(InputStream raw) throws IOException {
            Path copy;
            try {
                copy = Files.createTempFile(scratchDir, "wharf-inspect-", ".zip");
            } catch (IOException e) {
                throw new ScratchFailure(e);
            }
            try {
                try (OutputStream out = Files.newOutputStream(copy)) {
                    byte[] buffer = new byte[BUFFER_SIZE];
                    int n;
                    while ((n = raw.read(buffer)) != -1) {
                        try {
                            out.write(buffer, 0, n);
                        } catch (IOException e) {
                            throw new ScratchFailure(e);
                        }
                    }
                } catch (ScratchFailure e) {
                    throw e;
                } catch (IOException e) {
                    if (source.failure() != null) {
                        throw e;
                    }
                    throw new ScratchFailure(e); // closing the copy failed
                }
                new ZipInspection(meter, checks, findings, limits).inspect(copy);
            } finally {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    throw new ScratchFailure(e);
                }
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
                HeaderLimit limited = new HeaderLimit(raw, MAX_GZIP_HEADER_BYTES);
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
                        .setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB)
                        .get();
            default:
                throw new IllegalArgumentException(compressor);
        }
    }

    /** Bounds what a gzip member header may consume (its file name and comment are unbounded by the format). */
    private static final class HeaderLimit extends InputStream {
        private final InputStream in;
        private final long limit;
        private final byte[] single = new byte[1];
        private boolean inHeader = true;
        private long headerBytes;

        HeaderLimit(InputStream in, long limit) {
            this.in = in;
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
        public int read() throws IOException {
            return read(single, 0, 1) == -1 ? -1 : single[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0 && inHeader && (headerBytes += n) > limit) {
                throw new ArchiveCorrupt("gzip header exceeds " + limit + " bytes");
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return skipByReading(this, n);
        }
    }

    /** Skips by reading, so that counting and hashing streams see every byte. */
    static long skipByReading(InputStream in, long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close(); // releases the inflater; the caller's stream is not closed (see SourceStream)
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a decompressor failed", e);
            }
        }
    }
}
