package org.wharf.common.archive;

import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.io.IOUtils;

/**
 * A stream that sees every byte read through it, so that counting, metering and bounding happen in
 * one place per layer; skipping reads, so that nothing passes unseen.
 */
abstract class ObservedStream extends InputStream {

    private final InputStream in;
    private final byte[] single = new byte[1];

    ObservedStream(InputStream in) {
        this.in = in;
    }

    /** {@code n} (more than zero) bytes were read into {@code buffer} at {@code offset}. */
    protected abstract void observed(byte[] buffer, int offset, int n) throws IOException;

    @Override
    public int read() throws IOException {
        return read(single, 0, 1) == -1 ? -1 : single[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            observed(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return n <= 0 ? 0 : IOUtils.skip(this, n); // reads, so that nothing passes unseen
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
