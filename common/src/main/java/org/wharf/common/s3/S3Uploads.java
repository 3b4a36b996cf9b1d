package org.wharf.common.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.apache.commons.io.input.BoundedInputStream;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads a file in parts when it is larger than one part, so that no request body is larger than a
 * part: S3 refuses single PUTs over 5 GiB, and S3-protocol servers that check a signed payload (s3proxy,
 * which Wharf runs locally) buffer each request body whole. A failed multipart upload is aborted, so
 * no half object is left behind.
 */
public final class S3Uploads {

    /** 16 MiB: well above S3's 5 MiB minimum part, few requests, modest buffers on the server. */
    public static final long DEFAULT_PART_SIZE = 16L << 20;

    private S3Uploads() {
    }

    public static void putFile(S3Client s3, String bucket, String key, Path file, long partSize) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (size <= partSize) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
            return;
        }
        multipart(s3, bucket, key, uploadId -> { }, (uploadId, parts) -> {
            for (long offset = 0; offset < size; offset += partSize) {
                long length = Math.min(partSize, size - offset);
                long from = offset;
                // A provider, not a stream: the SDK opens it again for a retry.
                parts.add(uploadPart(s3, bucket, key, uploadId, parts.size() + 1, length, () -> range(file, from, length)));
            }
        });
    }

    /** S3's most parts in one upload. */
    static final int MAX_PARTS = 10_000;
    /** Parts of the configured size up to here; then each 2,000 parts, twice as large (up to 16 times). */
    static final int PARTS_PER_SIZE = 2_000;

    /**
     * Streams {@code in} to {@code s3://bucket/key} as a multipart upload, never holding more than two
     * parts in memory, off the heap (direct buffers): one is read while the other is uploaded. The part
     * size doubles every {@value #PARTS_PER_SIZE} parts, four times at most, so that a stream of any
     * size within S3's 10,000 parts fits (with 8 MiB parts: 16 GiB before the first doubling, about
     * 480 GiB in all). {@code uploadStarted} gets the upload id first, so that whoever runs this can
     * abort it later if this process dies. A failure aborts the upload (no half object) and is
     * rethrown. Returns the number of bytes uploaded.
     */
    public static long putStream(S3Client s3, String bucket, String key, InputStream in, int partSize,
                                 Consumer<String> uploadStarted) {
        long[] total = {0};
        ExecutorService uploader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "s3-part-upload");
            t.setDaemon(true);
            return t;
        });
        try {
            multipart(s3, bucket, key, uploadStarted, (uploadId, parts) -> {
                ByteBuffer[] buffers = new ByteBuffer[2];
                byte[] chunk = new byte[1 << 16];
                Future<CompletedPart> pending = null;
                for (int number = 1; ; number++) {
                    if (number > MAX_PARTS) {
                        throw new IllegalStateException("the stream is larger than S3's 10,000 parts of up to "
                                + (partSizeOf(number - 1, partSize) >> 20) + " MiB: raise the part size");
                    }
                    int size = partSizeOf(number, partSize);
                    int slot = number % 2;
                    if (buffers[slot] == null || buffers[slot].capacity() < size) {
                        buffers[slot] = ByteBuffer.allocateDirect(size);
                    }
                    ByteBuffer buffer = buffers[slot];
                    buffer.clear().limit(size);
                    for (int n; buffer.hasRemaining() && (n = in.read(chunk, 0, Math.min(chunk.length, buffer.remaining()))) >= 0; ) {
                        buffer.put(chunk, 0, n);
                    }
                    buffer.flip();
                    int length = buffer.limit();
                    if (pending != null) {
                        parts.add(pending.get()); // the other buffer is free again
                        pending = null;
                    }
                    if (length == 0 && number > 1) {
                        return;
                    }
                    int partNumber = number;
                    total[0] += length;
                    pending = uploader.submit(() -> uploadPart(s3, bucket, key, uploadId, partNumber, length,
                            () -> new ByteBufferInputStream(buffer.duplicate())));
                    if (length < size) {
                        parts.add(pending.get());
                        return;
                    }
                }
            });
            return total[0];
        } finally {
            uploader.shutdownNow();
        }
    }

    static int partSizeOf(int number, int partSize) {
        return partSize << Math.min(4, (number - 1) / PARTS_PER_SIZE);
    }

    /** A part's bytes, read from its buffer (the buffer's own position is left alone: a retry reads it again). */
    private static final class ByteBufferInputStream extends InputStream {
        private final ByteBuffer bytes;

        ByteBufferInputStream(ByteBuffer bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return bytes.hasRemaining() ? bytes.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (!bytes.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, bytes.remaining());
            bytes.get(into, offset, n);
            return n;
        }

        @Override
        public int available() {
            return bytes.remaining();
        }
    }

    private interface Parts {
        void upload(String uploadId, List<CompletedPart> parts) throws Exception;
    }

    /** Creates the upload, lets {@code parts} upload its parts, completes it; any failure aborts it and is rethrown. */
    private static void multipart(S3Client s3, String bucket, String key, Consumer<String> uploadStarted, Parts parts) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        uploadStarted.accept(uploadId);
        try {
            List<CompletedPart> completed = new ArrayList<>();
            parts.upload(uploadId, completed);
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        } catch (Exception | Error e) {
            // An Error too (out of memory, say): whatever stops the upload aborts it.
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw unchecked((Exception) e);
        }
    }

    private static CompletedPart uploadPart(S3Client s3, String bucket, String key, String uploadId, int partNumber, long length,
                                            ContentStreamProvider content) {
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length),
                RequestBody.fromContentProvider(content, length, "application/octet-stream")).eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    /** What the caller sees of a failure: the store's or the stream's own exception, unwrapped. */
    private static RuntimeException unchecked(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(cause.getMessage(), cause);
    }

    private static InputStream range(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel)).setMaxCount(length).get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
