package org.wharf.common.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The caller's stream, counted and hashed on the way. It remembers the first failure of that stream: libraries
 * above it may wrap or swallow the exception, and such a failure is transient (to be retried) whereas every other
 * failure while reading the archive is a problem of the archive. A caller that needs the whole object's size and
 * sha256 whatever the reader decided (the loader) passes its own, and reads them after {@link #drain()}.
 */
public final class SourceStream extends ObservedStream {

    private final MessageDigest sha256;
    private long count;
    private IOException failure;

    public SourceStream(InputStream in) {
        super(in);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    protected void observed(byte[] buffer, int offset, int n) {
        sha256.update(buffer, offset, n);
        count += n;
    }

    /** The caller's stream is theirs to close. */
    @Override
    public void close() {
    }

    /** Reads to the end, so that size and digest cover the whole object even when reading ended early. */
    public void drain() throws IOException {
        transferTo(OutputStream.nullOutputStream());
    }

    public long count() {
        return count;
    }

    public IOException failure() {
        return failure;
    }

    /** The sha256 of every byte read so far (reading may go on). */
    public String sha256Hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }
}
