package org.wharf.common.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Decompresses on a thread of its own, a few chunks ahead of its reader: on two cores, inflating and what the
 * reader does with the entries (checks, hashes, uploads) overlap instead of taking turns. What the
 * decompressing side throws (a corrupt stream, the source failing) is thrown to the reader as it was, where
 * the reader reaches it. At most {@link #CHUNKS} chunks are read ahead, so a bomb is still stopped by the
 * reader's meter within half a MiB of where it would have been.
 */
final class ReadAhead extends InputStream {

    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 8;
    /**
     * One tar record first, then small reads: a decompressor that fails in a read returns nothing of what it
     * inflated in it, so the reader still gets the first record whole (to know the format) and loses at most
     * one step before a corruption.
     */
    private static final int FIRST_STEP = 512;
    private static final int STEP = 8 * 1024;

    /** A run of decompressed bytes; the last has {@code length} -1, and the failure that ended it, if any. */
    private record Chunk(byte[] bytes, int length, Throwable failure) {
    }

    private final InputStream in;
    private final BlockingQueue<Chunk> ready = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread filler;
    private volatile boolean stopped;
    private Chunk current = new Chunk(new byte[0], 0, null);
    private int position;
    private final byte[] one = new byte[1];

    ReadAhead(InputStream in) {
        this.in = in;
        this.filler = new Thread(this::fill, "archive-read-ahead");
        filler.setDaemon(true);
        filler.start();
    }

    private void fill() {
        boolean first = true;
        while (true) {
            byte[] bytes = new byte[CHUNK];
            int n = 0;
            boolean end = false;
            Throwable failure = null;
            try {
                while (n < CHUNK) {
                    int read = in.read(bytes, n, Math.min(first ? FIRST_STEP : STEP, CHUNK - n));
                    first = false;
                    if (read < 0) {
                        end = true;
                        break;
                    }
                    n += read;
                }
            } catch (Throwable t) {
                failure = t;
            }
            // The bytes read before a failure are the reader's first, as they would have been without read-ahead.
            if (n > 0 && !hand(new Chunk(bytes, n, null))) {
                return;
            }
            if (end || failure != null) {
                hand(new Chunk(null, -1, failure));
                return;
            }
        }
    }

    /** Hands a chunk to the reader; false once the reader has stopped. */
    private boolean hand(Chunk chunk) {
        try {
            while (!stopped) {
                if (ready.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (current.length() < 0) {
            return ended();
        }
        if (length == 0) {
            return 0;
        }
        if (position == current.length()) {
            current = next();
            position = 0;
            if (current.length() < 0) {
                return ended();
            }
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.bytes(), position, buffer, offset, n);
        position += n;
        return n;
    }

    private Chunk next() throws IOException {
        try {
            return ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decompressing");
        }
    }

    /** At the end: -1, or the failure that ended the stream (again, for every read after it). */
    private int ended() throws IOException {
        Throwable failure = current.failure();
        if (failure == null) {
            return -1;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IOException(failure);
    }

    /**
     * Stops reading ahead and waits for the decompressing thread to end, so that the reader may use the
     * source again (to drain it): from here on, only one thread reads it. Does not close the source.
     */
    void stop() {
        stopped = true;
        ready.clear();
        try {
            filler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
