package org.wharf.checker.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds test archives in memory with Commons Compress. */
final class TestArchives {

    /** One entry to write; {@code type} is a tar type flag, mapped to Unix modes for zip. */
    record Entry(String name, byte type, byte[] content, String linkName) {
    }

    private TestArchives() {
    }

    static Entry file(String name, String content) {
        return new Entry(name, TarConstants.LF_NORMAL, content.getBytes(StandardCharsets.UTF_8), null);
    }

    static Entry file(String name, byte[] content) {
        return new Entry(name, TarConstants.LF_NORMAL, content, null);
    }

    static Entry dir(String name) {
        return new Entry(name, TarConstants.LF_DIR, new byte[0], null);
    }

    static Entry symlink(String name, String target) {
        return new Entry(name, TarConstants.LF_SYMLINK, new byte[0], target);
    }

    static Entry hardLink(String name, String target) {
        return new Entry(name, TarConstants.LF_LINK, new byte[0], target);
    }

    static Entry charDevice(String name) {
        return new Entry(name, TarConstants.LF_CHR, new byte[0], null);
    }

    static Entry fifo(String name) {
        return new Entry(name, TarConstants.LF_FIFO, new byte[0], null);
    }

    /** A pax global header with one record, as git archive writes first ("comment" = the commit id). */
    static Entry globalPax(String key, String value) {
        return new Entry("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER,
                (key + "=" + value).getBytes(StandardCharsets.UTF_8), null);
    }

    static byte[] tar(Entry... entries) {
        return tar("UTF-8", TarArchiveOutputStream.LONGFILE_POSIX, entries);
    }

    /** A tar whose names are written raw in {@code encoding} (no pax header), e.g. ISO-8859-1. */
    static byte[] tar(String encoding, int longFileMode, Entry... entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeTar(bytes, encoding, longFileMode, entries);
        return bytes.toByteArray();
    }

    static void writeTar(OutputStream out, String encoding, int longFileMode, Entry... entries) {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, encoding)) {
            tar.setLongFileMode(longFileMode);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry entry : entries) {
                TarArchiveEntry header = new TarArchiveEntry(entry.name(), entry.type(), true);
                if (entry.linkName() != null) {
                    header.setLinkName(entry.linkName());
                }
                if (entry.type() == TarConstants.LF_CHR) {
                    header.setDevMajor(4);
                    header.setDevMinor(1);
                }
                if (entry.type() == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER) {
                    // Commons Compress writes the record itself from the entry's extra pax headers
                    String[] record = new String(entry.content(), StandardCharsets.UTF_8).split("=", 2);
                    header.addPaxHeader(record[0], record[1]);
                    tar.putArchiveEntry(header);
                    continue;
                }
                header.setSize(entry.content().length);
                tar.putArchiveEntry(header);
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] zip(Entry... entries) {
        return zip("UTF-8", true, entries);
    }

    static byte[] zip(String encoding, boolean utf8Flag, Entry... entries) {
        return zip(encoding, utf8Flag, Zip64Mode.AsNeeded, entries);
    }

    /** A zip with Zip64 records everywhere, end of central directory included. */
    static byte[] zip64(Entry... entries) {
        return zip("UTF-8", true, Zip64Mode.Always, entries);
    }

    private static byte[] zip(String encoding, boolean utf8Flag, Zip64Mode zip64, Entry... entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.setUseZip64(zip64);
            zip.setEncoding(encoding);
            zip.setUseLanguageEncodingFlag(utf8Flag);
            for (Entry entry : entries) {
                ZipArchiveEntry header = new ZipArchiveEntry(entry.name());
                byte[] content = entry.content();
                switch (entry.type()) {
                    case TarConstants.LF_SYMLINK -> {
                        header.setUnixMode(UnixStat.LINK_FLAG | 0777);
                        content = entry.linkName().getBytes(StandardCharsets.UTF_8);
                    }
                    case TarConstants.LF_FIFO -> header.setUnixMode(0010000 | 0644);
                    case TarConstants.LF_DIR -> header.setUnixMode(UnixStat.DIR_FLAG | 0755);
                    default -> header.setUnixMode(UnixStat.FILE_FLAG | 0644);
                }
                zip.putArchiveEntry(header);
                zip.write(content);
                zip.closeArchiveEntry();
            }
            zip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A stored (uncompressed) zip entry, so that tests can find and alter its bytes. */
    static byte[] storedZip(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry header = new ZipArchiveEntry(name);
            header.setMethod(ZipArchiveEntry.STORED);
            header.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            header.setCrc(crc.getValue());
            zip.putArchiveEntry(header);
            zip.write(content);
            zip.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Sets the UTF-8 flag (general purpose bit 11) in every local and central header. */
    static byte[] withUtf8Flag(byte[] zip) {
        byte[] patched = zip.clone();
        for (int i = 0; i + 4 <= patched.length; i++) {
            if (patched[i] == 'P' && patched[i + 1] == 'K') {
                if (patched[i + 2] == 3 && patched[i + 3] == 4) {
                    patched[i + 7] |= 0x08;
                } else if (patched[i + 2] == 1 && patched[i + 3] == 2) {
                    patched[i + 9] |= 0x08;
                }
            }
        }
        return patched;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GzipCompressorOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] bzip2(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new BZip2CompressorOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] xz(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new XZCompressorOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] cut(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    /** Builds a tar record by record, for headers Commons Compress would not write. */
    static final class RawTar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        RawTar entry(String name, byte type, byte[] content) {
            TarArchiveEntry header = new TarArchiveEntry(name, type, true);
            header.setSize(content.length);
            byte[] record = new byte[512];
            header.writeEntryHeader(record);
            bytes.writeBytes(record);
            bytes.writeBytes(content);
            bytes.writeBytes(new byte[(512 - content.length % 512) % 512]);
            return this;
        }

        /** A header announcing {@code size} bytes of content, none written. */
        RawTar header(String name, byte type, long size) {
            TarArchiveEntry header = new TarArchiveEntry(name, type, true);
            header.setSize(size);
            byte[] record = new byte[512];
            header.writeEntryHeader(record);
            bytes.writeBytes(record);
            return this;
        }

        RawTar pax(byte type, byte[]... records) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (byte[] record : records) {
                data.writeBytes(record);
            }
            return entry("PaxHeaders/x", type, data.toByteArray());
        }

        byte[] end() {
            bytes.writeBytes(new byte[1024]);
            return bytes.toByteArray();
        }
    }

    /** One pax record, "length key=value\n", the value raw. */
    static byte[] paxRecord(String key, byte[] value) {
        int body = 1 + key.length() + 1 + value.length + 1;
        int length = body + 1;
        while (length != body + Integer.toString(length).length()) {
            length = body + Integer.toString(length).length();
        }
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes((length + " " + key + "=").getBytes(StandardCharsets.US_ASCII));
        record.writeBytes(value);
        record.write('\n');
        return record.toByteArray();
    }

    static byte[] paxRecord(String key, String value) {
        return paxRecord(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
