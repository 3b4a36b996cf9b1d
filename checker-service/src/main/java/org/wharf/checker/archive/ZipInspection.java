package org.wharf.checker.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.wharf.common.archive.CallerFailure;
import org.wharf.common.archive.Meter;
import org.wharf.common.archive.ZipReader;

/**
 * Judges the entries of a zip, read by the shared {@link ZipReader}: names in both of zip's encodings, Unix modes
 * (symbolic links, devices), content streamed through a CRC and compared with the central directory, which may lie.
 * An unreadable entry is reported and the next one inspected.
 */
final class ZipInspection {

    static final String FORMAT = "zip";
    /** Longer than any PATH_MAX: such a target cannot be a real link and is not resolved. */
    static final int MAX_SYMLINK_TARGET_BYTES = 4096;

    private final ZipReader zip;
    private final EntryChecks checks;
    private final Findings findings;
    private final byte[] buffer = new byte[64 * 1024];

    ZipInspection(ZipReader zip, EntryChecks checks, Findings findings) {
        this.zip = zip;
        this.checks = checks;
        this.findings = findings;
    }

    void inspect(ZipArchiveEntry entry) throws IOException {
        byte[] raw = entry.getRawName();
        boolean utf8Flag = entry.getGeneralPurposeBit().usesUTF8ForNames();
        String utf8 = EntryNames.strictUtf8(raw);
        // Without the flag the name is CP437 by the spec, but many tools write UTF-8 anyway: accept both.
        boolean cp437 = utf8 == null && !utf8Flag;
        String name = utf8 != null ? utf8 : cp437 ? new String(raw, EntryNames.CP437) : EntryNames.lenientUtf8(raw);
        String display = EntryNames.printable(raw, cp437);
        List<String> variants = new ArrayList<>(List.of(name));
        if (entry.getNameSource() == ZipArchiveEntry.NameSource.UNICODE_EXTRA_FIELD && !entry.getName().equals(name)) {
            // Info-ZIP's Unicode path field: some extractors use it instead of the raw name.
            variants.add(entry.getName());
        }
        boolean control = EntryNames.hasControl(raw) || variants.stream().anyMatch(EntryNames::hasControl);
        EntryChecks.Kind kind = kind(entry);

        byte[] target = readContent(entry, display, kind == EntryChecks.Kind.SYMLINK);
        if (!zip.localNameMatches(entry)) {
            // Streaming extractors read the local header's name; Python's zipfile refuses a mismatch.
            findings.unreadable(FORMAT, display);
        }
        List<String> targets = List.of();
        if (target != null && target.length > MAX_SYMLINK_TARGET_BYTES) {
            findings.addEntry(ArchiveProblems.SYMLINK_OUTSIDE, display);
        } else if (target != null) {
            targets = List.of(EntryNames.lenientUtf8(target));
        }
        checks.check(new EntryChecks.Scanned(display, name, name, variants, utf8Flag && utf8 == null, control, kind,
                targets));
    }

    private static EntryChecks.Kind kind(ZipArchiveEntry entry) {
        if (entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX) {
            int type = entry.getUnixMode() & UnixStat.FILE_TYPE_FLAG;
            if (type == UnixStat.LINK_FLAG) {
                return EntryChecks.Kind.SYMLINK;
            }
            if (type == 0020000 || type == 0060000 || type == 0010000 || type == 0140000) {
                // character device, block device, FIFO, socket
                return EntryChecks.Kind.SPECIAL;
            }
        }
        return entry.isDirectory() ? EntryChecks.Kind.DIRECTORY : EntryChecks.Kind.FILE;
    }

    /**
     * Streams the content through the meter and a CRC, and compares both with the central directory, which may lie.
     * Returns the content of a symbolic link (its target; at most one byte more than the limit), an empty array for
     * other entries, or null when the entry is unreadable (reported).
     */
    private byte[] readContent(ZipArchiveEntry entry, String display, boolean symlink) throws IOException {
        if (!zip.readable(entry)) {
            findings.unreadable(FORMAT, display);
            return null;
        }
        CRC32 crc = new CRC32();
        long size = 0;
        ByteArrayOutputStream target = symlink ? new ByteArrayOutputStream() : null;
        try (InputStream in = zip.content(entry)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                crc.update(buffer, 0, n);
                size += n;
                if (target != null && target.size() <= MAX_SYMLINK_TARGET_BYTES) {
                    target.write(buffer, 0, Math.min(n, MAX_SYMLINK_TARGET_BYTES + 1 - target.size()));
                }
            }
        } catch (Meter.LimitExceeded | CallerFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            zip.checkFailure();
            findings.unreadable(FORMAT, display);
            return null;
        }
        if (entry.getSize() >= 0 && size != entry.getSize() || entry.getCrc() >= 0 && crc.getValue() != entry.getCrc()) {
            findings.unreadable(FORMAT, display);
            return null;
        }
        return target == null ? new byte[0] : target.toByteArray();
    }
}
