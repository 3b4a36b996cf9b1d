package org.wharf.backup.stream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes a producer writes on a thread of its own (compressing, writing a tar), read as they come: a
 * pipe of 64 KiB, so nothing is held whole. The producer's failure is thrown to the reader at the end
 * of the stream, never taken for a normal end, so that a half-written backup is never kept.
 */
public final class ProducedStream extends FilterInputStream {

    /** What writes the bytes; {@code out} is closed after it returns. */
    @FunctionalInterface
    public interface Producer {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Thread producer;
    private final AtomicReference<IOException> failure;

    private ProducedStream(PipedInputStream in, Thread producer, AtomicReference<IOException> failure) {
        super(in);
        this.producer = producer;
        this.failure = failure;
    }

    public static InputStream of(String threadName, Producer producer) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream sink = new PipedOutputStream(in);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try (OutputStream out = sink) {
                producer.writeTo(out);
            } catch (IOException | RuntimeException e) {
                failure.set(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                try {
                    sink.close();
                } catch (IOException ignored) {
                    // closing is all that is left
                }
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return new ProducedStream(in, thread, failure);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        return b < 0 ? end() : b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        return n < 0 ? end() : n;
    }

    @Override
    public void close() throws IOException {
        producer.interrupt(); // a reader that gives up early must not leave the producer blocked on the pipe
        super.close();
    }

    private int end() throws IOException {
        try {
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the backup was being written");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return -1;
    }
}
