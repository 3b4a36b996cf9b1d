package org.wharf.checker.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Streams a (decompressed) tar: headers through Commons Compress, contents through counters only.
 * <p>
 * Commons Compress is lenient in ways that matter here, which this class compensates for: it takes a missing
 * end-of-archive marker or a short header for a clean end (truncation would go unnoticed), does not verify header
 * checksums, strips leading slashes from GNU long names and pax paths (hiding absolute paths), decodes invalid
 * UTF-8 silently, and reads pax headers and GNU long names whole into memory. So the raw header bytes are captured
 * on the way and judged here, and what one entry's headers may consume is bounded.
 * </p>
 * Throws on a corrupt archive (any IOException or RuntimeException) and {@link Meter.LimitExceeded} on a limit.
 */
final class TarInspection {

    /** Headers of one entry (pax data, GNU long names, sparse maps): real ones are a few KiB. */
    static final int MAX_HEADER_BYTES = 4 * 1024 * 1024;
    /** Global pax headers accumulate over the archive, so they get their own budget. */
    static final int MAX_GLOBAL_PAX_BYTES = 4 * 1024 * 1024;
    /** Chained headers (pax, long name, long link...) are read recursively by Commons Compress: bound the depth. */
    static final int MAX_HEADER_CHAIN = 32;

    private final Meter meter;
    private final EntryChecks checks;

    TarInspection(Meter meter, EntryChecks checks) {
        this.meter = meter;
        this.checks = checks;
    }

    void inspect(InputStream tarStream) throws IOException {
        MeteredStream metered = new MeteredStream(tarStream, meter);
        Scanner tar = new Scanner(metered);
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            metered.headerStarts();
            TarArchiveEntry entry = tar.getNextEntry();
            metered.headerEnds();
            if (tar.badChecksum) {
                throw new ArchiveCorrupt("tar header checksum mismatch");
            }
            if (entry == null) {
                break;
            }
            meter.entry();
            if (entry.isDirectory() && entry.getSize() > 0) {
                // Commons Compress would not skip such data and would read it as headers: entries could be smuggled.
                throw new ArchiveCorrupt("tar directory entry with content");
            }
            checks.check(tar.describe(entry));
            int n;
            while ((n = tar.read(buffer, 0, buffer.length)) != -1) {
                meter.entryData(n);
            }
        }
        if (!tar.sawEndMarker) {
            throw new ArchiveCorrupt("tar archive truncated: no end-of-archive marker");
        }
        // Read what follows the marker (block padding, compressor trailer) so that a corrupt or truncated
        // compressed stream is noticed, and its size counted against the limits.
        while (metered.read(buffer, 0, buffer.length) != -1) {
            // counted by MeteredStream
        }
    }

    /** Counts every decompressed byte against the limits, and bounds what the headers of one entry consume. */
    private static final class MeteredStream extends InputStream {
        private final InputStream in;
        private final Meter meter;
        private final byte[] single = new byte[1];
        private boolean inHeader;
        private long headerBytes;

        MeteredStream(InputStream in, Meter meter) {
            this.in = in;
            this.meter = meter;
        }

        void headerStarts() {
            inHeader = true;
            headerBytes = 0;
        }

        void headerEnds() {
            inHeader = false;
        }

        @Override
        public int read() throws IOException {
            return read(single, 0, 1) == -1 ? -1 : single[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                meter.stream(n);
                if (inHeader && (headerBytes += n) > MAX_HEADER_BYTES) {
                    throw new ArchiveCorrupt("tar headers of one entry exceed " + MAX_HEADER_BYTES + " bytes");
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return ArchiveInspector.skipByReading(this, n);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }

    /** Commons Compress's tar reader, with the raw header bytes captured through its extension points. */
    private static final class Scanner extends TarArchiveInputStream {

        private static final int NAME_OFFSET = 0;
        private static final int NAME_LENGTH = 100;
        private static final int TYPE_OFFSET = 156;
        private static final int LINK_NAME_OFFSET = 157;
        private static final int MAGIC_OFFSET = 257;
        private static final int PREFIX_OFFSET = 345;
        private static final int PREFIX_LENGTH = 155;
        private static final int XSTAR_PREFIX_LENGTH = 131;
        private static final int XSTAR_MAGIC_OFFSET = 508;
        private static final Set<Byte> METADATA_TYPES = Set.of(TarConstants.LF_PAX_EXTENDED_HEADER_LC,
                TarConstants.LF_PAX_EXTENDED_HEADER_UC, TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER,
                TarConstants.LF_GNUTYPE_LONGNAME, TarConstants.LF_GNUTYPE_LONGLINK);

        boolean sawEndMarker;
        boolean badChecksum;
        private int depth;
        // captured during one call of getNextEntry (which recurses through chained headers)
        private byte[] mainHeader;
        private final List<ByteArrayOutputStream> localPax = new ArrayList<>();
        private final List<ByteArrayOutputStream> newGlobalPax = new ArrayList<>();
        private final List<byte[]> longNames = new ArrayList<>();
        private final List<byte[]> longLinks = new ArrayList<>();
        private TarArchiveEntry capturing;
        private ByteArrayOutputStream capture;
        // accumulated over the archive, as Commons Compress does
        private final Map<String, byte[]> globalPax = new HashMap<>();
        private long globalPaxBytes;

        Scanner(InputStream in) {
            // ISO-8859-1 maps bytes to chars one to one: Commons Compress never fails or substitutes on names.
            super(in, TarConstants.DEFAULT_BLKSIZE, TarConstants.DEFAULT_RCDSIZE, "ISO-8859-1", false);
        }

        @Override
        public TarArchiveEntry getNextEntry() throws IOException {
            if (depth == 0) {
                mainHeader = null;
                localPax.clear();
                longNames.clear();
                longLinks.clear();
                capturing = null;
                capture = null;
            }
            if (depth >= MAX_HEADER_CHAIN) {
                throw new ArchiveCorrupt("more than " + MAX_HEADER_CHAIN + " chained tar headers");
            }
            depth++;
            try {
                return super.getNextEntry();
            } finally {
                depth--;
            }
        }

        /** Every header record goes through here (entry contents do not). */
        @Override
        protected byte[] readRecord() throws IOException {
            byte[] record = super.readRecord();
            if (record == null) {
                // a short or missing record: Commons Compress ends quietly, truncation is noticed by the caller
                return null;
            }
            if (isEOFRecord(record)) {
                sawEndMarker = true;
            } else if (mainHeader == null) {
                // Records after the entry's own header are old GNU sparse extensions, which carry no checksum.
                if (!TarUtils.verifyCheckSum(record)) {
                    badChecksum = true;
                }
                if (!METADATA_TYPES.contains(record[TYPE_OFFSET])) {
                    mainHeader = record.clone();
                }
            }
            return record;
        }

        /** Pax headers are read through here: keep their raw bytes (bounded by the header budget). */
        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            TarArchiveEntry current = getCurrentEntry();
            if (n > 0 && current != null && (current.isPaxHeader() || current.isGlobalPaxHeader())) {
                if (current != capturing) {
                    capturing = current;
                    capture = new ByteArrayOutputStream();
                    (current.isGlobalPaxHeader() ? newGlobalPax : localPax).add(capture);
                }
                if (current.isGlobalPaxHeader() && (globalPaxBytes += n) > MAX_GLOBAL_PAX_BYTES) {
                    throw new ArchiveCorrupt("global pax headers exceed " + MAX_GLOBAL_PAX_BYTES + " bytes");
                }
                capture.write(buffer, offset, n);
            }
            return n;
        }

        /** GNU long names and long link names, raw (Commons Compress would strip leading slashes from them). */
        @Override
        protected byte[] getLongNameData() throws IOException {
            TarArchiveEntry current = getCurrentEntry();
            boolean link = current != null && current.isGNULongLinkEntry();
            byte[] data = super.getLongNameData();
            if (data != null) {
                // Chained ones return innermost first; Commons Compress keeps the last returned, i.e. the first.
                (link ? longLinks : longNames).add(data);
            }
            return data;
        }

        EntryChecks.Scanned describe(TarArchiveEntry entry) throws IOException {
            if (mainHeader == null) {
                throw new ArchiveCorrupt("tar entry without header");
            }
            for (ByteArrayOutputStream global : newGlobalPax) {
                parsePax(global.toByteArray()).forEach((key, value) -> {
                    if (value.length == 0) {
                        globalPax.remove(key);
                    } else {
                        globalPax.put(key, value);
                    }
                });
            }
            newGlobalPax.clear();
            List<Map<String, byte[]>> locals = new ArrayList<>();
            for (ByteArrayOutputStream local : localPax) {
                locals.add(parsePax(local.toByteArray()));
            }

            // Every name the archive gives this entry: extractors differ on which one wins, so all are judged.
            List<byte[]> names = new ArrayList<>();
            names.add(ustarName(mainHeader, PREFIX_LENGTH));
            names.add(ustarName(mainHeader, XSTAR_PREFIX_LENGTH));
            names.addAll(longNames);
            names.addAll(values(locals, "path"));
            names.addAll(values(locals, "GNU.sparse.name"));
            names.addAll(values(List.of(globalPax), "path"));
            names.addAll(values(List.of(globalPax), "GNU.sparse.name"));
            // The one Commons Compress (and most extractors) use, for display and duplicates.
            byte[] name = firstOf(values(locals, "GNU.sparse.name"), values(locals, "path"),
                    values(List.of(globalPax), "GNU.sparse.name"), values(List.of(globalPax), "path"),
                    longNames.isEmpty() ? List.of() : List.of(longNames.get(longNames.size() - 1)),
                    List.of(names.get(0)));

            List<byte[]> targets = new ArrayList<>();
            targets.add(field(mainHeader, LINK_NAME_OFFSET, NAME_LENGTH));
            targets.addAll(longLinks);
            targets.addAll(values(locals, "linkpath"));
            targets.addAll(values(List.of(globalPax), "linkpath"));

            Set<String> variants = new LinkedHashSet<>();
            boolean control = false;
            for (byte[] variant : names) {
                variants.add(EntryNames.lenientUtf8(variant));
                control |= EntryNames.hasControl(variant);
            }
            String decoded = EntryNames.lenientUtf8(name);
            variants.add(decoded);
            List<String> linkTargets = new ArrayList<>();
            for (byte[] target : targets) {
                if (target.length > 0) {
                    linkTargets.add(EntryNames.lenientUtf8(target));
                }
            }
            return new EntryChecks.Scanned(EntryNames.printable(name, false), decoded,
                    // Python's tarfile, which Software Heritage uses, lists directories without their slash
                    decoded.replaceAll("/+$", ""),
                    List.copyOf(variants), EntryNames.strictUtf8(name) == null, control, kind(entry), linkTargets);
        }

        private static EntryChecks.Kind kind(TarArchiveEntry entry) {
            // links first: a link whose name ends with '/' also passes for a directory
            if (entry.isLink()) {
                return EntryChecks.Kind.HARD_LINK;
            }
            if (entry.isSymbolicLink()) {
                return EntryChecks.Kind.SYMLINK;
            }
            if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                return EntryChecks.Kind.SPECIAL;
            }
            return entry.isDirectory() ? EntryChecks.Kind.DIRECTORY : EntryChecks.Kind.FILE;
        }

        /** ustar splits long names into prefix and name; GNU headers use that area for other fields. */
        private static byte[] ustarName(byte[] header, int prefixLength) {
            byte[] name = field(header, NAME_OFFSET, NAME_LENGTH);
            if (startsWith(header, MAGIC_OFFSET, "ustar ")) {
                return name;
            }
            byte[] prefix = field(header, PREFIX_OFFSET, prefixLength);
            if (prefix.length == 0) {
                return name;
            }
            byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
            joined[prefix.length] = '/';
            System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
            return joined;
        }

        /** A NUL-terminated header field. */
        private static byte[] field(byte[] header, int offset, int length) {
            int end = offset;
            while (end < offset + length && header[end] != 0) {
                end++;
            }
            return Arrays.copyOfRange(header, offset, end);
        }

        private static boolean startsWith(byte[] header, int offset, String magic) {
            byte[] expected = magic.getBytes(StandardCharsets.US_ASCII);
            return Arrays.equals(header, offset, offset + expected.length, expected, 0, expected.length);
        }

        private static List<byte[]> values(List<Map<String, byte[]>> headers, String key) {
            List<byte[]> values = new ArrayList<>();
            for (Map<String, byte[]> header : headers) {
                byte[] value = header.get(key);
                if (value != null && value.length > 0) {
                    values.add(value);
                }
            }
            return values;
        }

        @SafeVarargs
        private static byte[] firstOf(List<byte[]>... candidates) {
            for (List<byte[]> candidate : candidates) {
                if (!candidate.isEmpty()) {
                    return candidate.get(0);
                }
            }
            throw new IllegalStateException("the ustar name is always there");
        }

        /**
         * Pax records ("length keyword=value\n"), values raw. Commons Compress has already parsed the same bytes
         * strictly, so malformed input only ends this lenient parse early.
         */
        static Map<String, byte[]> parsePax(byte[] data) {
            Map<String, byte[]> records = new LinkedHashMap<>();
            int position = 0;
            while (position < data.length) {
                int start = position;
                long length = 0;
                while (position < data.length && data[position] >= '0' && data[position] <= '9' && length <= data.length) {
                    length = length * 10 + (data[position++] - '0');
                }
                if (position >= data.length || data[position] != ' ' || length <= 0 || start + length > data.length) {
                    break;
                }
                int end = (int) (start + length);
                int equals = position + 1;
                while (equals < end && data[equals] != '=') {
                    equals++;
                }
                if (equals >= end) {
                    break;
                }
                String key = new String(data, position + 1, equals - position - 1, StandardCharsets.UTF_8);
                int valueEnd = data[end - 1] == '\n' ? end - 1 : end;
                records.put(key, Arrays.copyOfRange(data, equals + 1, Math.max(equals + 1, valueEnd)));
                position = end;
            }
            return records;
        }
    }
}
