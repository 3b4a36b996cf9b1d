package org.wharf.loader.swhid;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that also reports each entry's path and link target as the exact bytes stored in
 * the archive.
 *
 * <p>Commons Compress only hands out names as Strings, and loses information on the way: names
 * set from GNU long-name or pax headers lose their leading slashes (hiding absolute paths), and
 * pax values are decoded as UTF-8 with invalid sequences replaced. Software Heritage hashes the
 * bytes an extractor writes to disk, which are the raw bytes. So this subclass
 * <ul>
 *   <li>decodes ustar names as ISO-8859-1, which maps bytes to chars one to one;</li>
 *   <li>keeps a copy of GNU long-name data (via {@link #getLongNameData()});</li>
 *   <li>keeps a copy of pax extended-header data as it flows through {@link #read(byte[], int, int)}
 *       and extracts {@code path}, {@code linkpath} and {@code GNU.sparse.name} from it.</li>
 * </ul>
 * It also turns a header cut short, or a missing end-of-archive marker, into an error (via
 * {@link #readRecord()}), where Commons Compress would silently report a clean end of archive.
 */
final class RawNameTarInputStream extends TarArchiveInputStream {

    /** Extension headers are metadata; anything this large is an attack, and Commons Compress would buffer it whole. */
    static final int MAX_METADATA_BYTES = 8 * 1024 * 1024;

    private static final Set<String> RAW_PAX_KEYS = Set.of("path", "linkpath", "GNU.sparse.name");

    /** An archive limit was hit; not corruption, but not something we accept either. */
    static final class LimitExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceededException(String message) {
            super(message);
        }
    }

    private final ByteArrayOutputStream localPax = new ByteArrayOutputStream();
    private final ByteArrayOutputStream globalPax = new ByteArrayOutputStream();
    private final Map<String, byte[]> globalRawPax = new HashMap<>();
    private long metadataBytes;
    private byte[] rawLongName;
    private byte[] rawName;
    private byte[] rawLinkTarget;

    RawNameTarInputStream(InputStream in) {
        super(in, StandardCharsets.ISO_8859_1.name());
    }

    /** Like {@link #getNextEntry()}, and makes {@link #rawName()} / {@link #rawLinkTarget()} valid for the entry. */
    TarArchiveEntry nextEntry() throws IOException {
        localPax.reset();
        globalPax.reset();
        metadataBytes = 0;
        rawLongName = null;
        rawName = null;
        rawLinkTarget = null;
        TarArchiveEntry entry = getNextEntry();
        if (entry == null) {
            return null;
        }
        // Same layering as Commons Compress: global values accumulate, local ones override them.
        if (globalPax.size() > 0) {
            applyPaxRecords(globalPax.toByteArray(), globalRawPax);
        }
        Map<String, byte[]> pax = new HashMap<>(globalRawPax);
        if (localPax.size() > 0) {
            applyPaxRecords(localPax.toByteArray(), pax);
        }
        rawName = chooseName(entry, pax);
        byte[] linkPath = pax.get("linkpath");
        rawLinkTarget = linkPath != null ? linkPath : latin1(entry.getLinkName());
        return entry;
    }

    /** The entry's path exactly as stored (leading slashes and all). */
    byte[] rawName() {
        return rawName;
    }

    /** The symlink target exactly as stored. */
    byte[] rawLinkTarget() {
        return rawLinkTarget;
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
        int n = super.read(buf, offset, length);
        if (n > 0) {
            TarArchiveEntry current = getCurrentEntry();
            if (current != null) {
                if (current.isGlobalPaxHeader()) {
                    countMetadata(n);
                    globalPax.write(buf, offset, n);
                } else if (current.isPaxHeader()) {
                    countMetadata(n);
                    localPax.write(buf, offset, n);
                } else if (current.isGNULongNameEntry() || current.isGNULongLinkEntry()) {
                    countMetadata(n);
                }
            }
        }
        return n;
    }

    @Override
    protected byte[] getLongNameData() throws IOException {
        TarArchiveEntry meta = getCurrentEntry();
        boolean isName = meta != null && meta.isGNULongNameEntry();
        byte[] data = super.getLongNameData();
        if (isName && data != null) {
            rawLongName = data.clone();
        }
        return data;
    }

    @Override
    protected byte[] readRecord() throws IOException {
        long before = getBytesRead();
        byte[] record = super.readRecord();
        if (record == null) {
            // Past the first zero record Commons Compress is only mopping up padding.
            if (!isAtEOF()) {
                long got = getBytesRead() - before;
                throw new EOFException(got > 0
                        ? "tar header cut short after " + got + " of " + getRecordSize() + " bytes"
                        : "tar archive ends without its end-of-archive marker");
            }
        }
        return record;
    }

    private void countMetadata(int n) throws LimitExceededException {
        metadataBytes += n;
        if (metadataBytes > MAX_METADATA_BYTES) {
            throw new LimitExceededException("tar extension headers larger than "
                    + MAX_METADATA_BYTES / (1024 * 1024) + " MiB");
        }
    }

    private byte[] chooseName(TarArchiveEntry entry, Map<String, byte[]> pax) {
        // GNU tar's pax sparse formats put a placeholder in 'path' and the real name here.
        byte[] sparseName = pax.get("GNU.sparse.name");
        if (sparseName != null && entry.isPaxGNUSparse()) {
            return sparseName;
        }
        byte[] paxPath = pax.get("path");
        if (paxPath != null) {
            return paxPath;
        }
        if (rawLongName != null) {
            return rawLongName;
        }
        // Straight from the ustar header: Commons Compress leaves these names alone, and
        // ISO-8859-1 turns them back into the exact bytes.
        return latin1(entry.getName());
    }

    /**
     * Reads pax records ({@code "<length> <key>=<value>\n"}) and keeps the raw value bytes of the
     * keys that name things; an empty value deletes the key, as POSIX specifies.
     */
    static void applyPaxRecords(byte[] data, Map<String, byte[]> into) throws IOException {
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == '\n') { // tolerated by Commons Compress, so tolerated here
                pos++;
                continue;
            }
            int space = indexOf(data, (byte) ' ', pos, data.length);
            if (space <= pos || space - pos > 10) {
                throw new IOException("malformed pax extended header record");
            }
            long length = 0;
            for (int i = pos; i < space; i++) {
                if (data[i] < '0' || data[i] > '9') {
                    throw new IOException("malformed pax extended header record length");
                }
                length = length * 10 + (data[i] - '0');
            }
            long end = pos + length;
            if (end > data.length || end <= space + 1 || data[(int) end - 1] != '\n') {
                throw new IOException("malformed pax extended header record");
            }
            int equals = indexOf(data, (byte) '=', space + 1, (int) end);
            if (equals < 0) {
                throw new IOException("malformed pax extended header record: no '='");
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            if (RAW_PAX_KEYS.contains(key)) {
                byte[] value = Arrays.copyOfRange(data, equals + 1, (int) end - 1);
                if (value.length == 0) {
                    into.remove(key);
                } else {
                    into.put(key, value);
                }
            }
            pos = (int) end;
        }
    }

    private static int indexOf(byte[] data, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] latin1(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
