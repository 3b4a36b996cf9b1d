package org.wharf.common.archive;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The caller's stream, counted and hashed on the way. It remembers the first failure of that stream: libraries
 * above it may wrap or swallow the exception, and such a failure is transient (to be retried) whereas every other
 * failure while reading the archive is a problem of the archive.
 */
public final class SourceStream extends InputStream {

    private final InputStream in;
    private final MessageDigest sha256;
    private final byte[] single = new byte[1];
    private long count;
    private IOException failure;

    public SourceStream(InputStream in) {
        this.in = in;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        return read(single, 0, 1) == -1 ? -1 : single[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (failure != null) {
            throw failure;
        }
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        if (n > 0) {
            sha256.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    /** Skipping would bypass the digest, so it reads. */
    @Override
    public long skip(long n) throws IOException {
        return ArchiveReader.skipByReading(this, n);
    }

    /** The caller's stream is theirs to close. */
    @Override
    public void close() {
    }

    /** Reads to the end, so that size and digest cover the whole object even when inspection ended early. */
    public void drain() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (read(buffer, 0, buffer.length) != -1) {
            // counted and hashed by read
        }
    }

    public long count() {
        return count;
    }

    public IOException failure() {
        return failure;
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
