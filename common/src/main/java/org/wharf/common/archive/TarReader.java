package org.wharf.common.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Streams a (decompressed) tar: headers through Commons Compress, every byte through the {@link Meter}.
 * <p>
 * Commons Compress is lenient in ways that matter to both readers of deposits, which this class
 * compensates for: it takes a missing end-of-archive marker or a short header for a clean end
 * (truncation would go unnoticed), does not verify header checksums, strips leading slashes from GNU
 * long names and pax paths (hiding absolute paths), decodes invalid UTF-8 silently, and reads pax
 * headers and GNU long names whole into memory. So the raw header bytes are captured on the way
 * ({@link TarEntry}), and what one entry's headers may consume is bounded.
 * </p>
 * Throws on a corrupt archive (any IOException or RuntimeException) and {@link Meter.LimitExceeded} on a limit.
 */
public final class TarReader {

    private final Meter meter;
    private final MeteredStream metered;
    private final Scanner tar;
    private final InputStream content;
    private boolean inEntry;
    private boolean ended;

    TarReader(InputStream tarStream, Meter meter) {
        this.meter = meter;
        this.metered = new MeteredStream(tarStream, meter);
        this.tar = new Scanner(metered);
        this.content = new Content();
    }

    /**
     * The next entry, or null at the end of the archive (after checking its end marker and reading
     * what follows it). Whatever of the previous entry's content was not read is read first, so that
     * it counts against the limits as it would when extracted.
     */
    public TarEntry next() throws IOException {
        if (ended) {
            return null;
        }
        if (inEntry) {
            content.transferTo(OutputStream.nullOutputStream());
        }
        metered.headerStarts();
        TarArchiveEntry entry = tar.getNextEntry();
        metered.headerEnds();
        if (tar.badChecksum) {
            throw new ArchiveCorrupt("tar header checksum mismatch");
        }
        if (entry == null) {
            ended = true;
            inEntry = false;
            if (!tar.sawEndMarker) {
                throw new ArchiveCorrupt("tar archive truncated: no end-of-archive marker");
            }
            // Read what follows the marker (block padding, compressor trailer) so that a corrupt or truncated
            // compressed stream is noticed, and its size counted against the limits.
            metered.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        inEntry = true;
        meter.entry();
        if (entry.isDirectory() && entry.getSize() > 0) {
            // Commons Compress would not skip such data and would read it as headers: entries could be smuggled.
            throw new ArchiveCorrupt("tar directory entry with content");
        }
        return tar.describe(entry);
    }

    /**
     * The current entry's content as an extractor writes it (a sparse file at its real size, holes as
     * zeros), counted against the limits. Not to be closed; it ends with the entry.
     */
    public InputStream content() {
        return content;
    }

    /** The entry's content, metered: what decompression makes of it counts, not what the header says. */
    private final class Content extends ObservedStream {
        Content() {
            super(tar);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return inEntry ? super.read(buffer, offset, length) : -1;
        }

        @Override
        protected void observed(byte[] buffer, int offset, int n) throws IOException {
            meter.entryData(n);
        }

        @Override
        public void close() {
            // ends with the entry
        }
    }

    /** Counts every decompressed byte against the limits, and bounds what the headers of one entry consume. */
    private static final class MeteredStream extends ObservedStream {
        private final Meter meter;
        private boolean inHeader;
        private long headerBytes;

        MeteredStream(InputStream in, Meter meter) {
            super(in);
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
        protected void observed(byte[] buffer, int offset, int n) throws IOException {
            meter.stream(n);
            if (inHeader && (headerBytes += n) > ArchiveLimits.MAX_TAR_HEADER_BYTES) {
                throw new ArchiveCorrupt("tar headers of one entry exceed " + ArchiveLimits.MAX_TAR_HEADER_BYTES + " bytes");
            }
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
            if (depth >= ArchiveLimits.MAX_TAR_HEADER_CHAIN) {
                throw new ArchiveCorrupt("more than " + ArchiveLimits.MAX_TAR_HEADER_CHAIN + " chained tar headers");
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
                if (current.isGlobalPaxHeader() && (globalPaxBytes += n) > ArchiveLimits.MAX_GLOBAL_PAX_BYTES) {
                    throw new ArchiveCorrupt("global pax headers exceed " + ArchiveLimits.MAX_GLOBAL_PAX_BYTES + " bytes");
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
                (link ? longLinks : longNames).add(data.clone());
            }
            return data;
        }

        TarEntry describe(TarArchiveEntry entry) throws IOException {
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
            return new TarEntry(entry, List.of(ustarName(mainHeader, PREFIX_LENGTH), ustarName(mainHeader, XSTAR_PREFIX_LENGTH)),
                    List.copyOf(longNames), List.copyOf(locals), Map.copyOf(globalPax),
                    field(mainHeader, LINK_NAME_OFFSET, NAME_LENGTH), List.copyOf(longLinks));
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
    }

    /**
     * Pax records ("length keyword=value\n"), values raw (Commons Compress decodes them, replacing invalid
     * UTF-8). Commons Compress has already parsed the same bytes strictly, so malformed input only ends this
     * lenient parse early.
     */
    static Map<String, byte[]> parsePax(byte[] data) {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int position = 0;
        while (position < data.length) {
            if (data[position] == '\n') { // tolerated by Commons Compress between records
                position++;
                continue;
            }
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
