package org.wharf.common.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    /**
     * Streams {@code in} to {@code s3://bucket/key} as a multipart upload, never holding more than two
     * parts in memory: one is read while the other is uploaded. {@code uploadStarted} gets the upload id
     * first, so that whoever runs this can abort it later if this process dies. A failure aborts the
     * upload (no half object) and is rethrown. Returns the number of bytes uploaded.
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
                byte[][] buffers = {new byte[partSize], new byte[partSize]};
                Future<CompletedPart> pending = null;
                for (int number = 1; ; number++) {
                    byte[] buffer = buffers[number % 2];
                    int length = in.readNBytes(buffer, 0, partSize);
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
                            () -> new ByteArrayInputStream(buffer, 0, length)));
                    if (length < partSize) {
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
        } catch (Exception e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw unchecked(e);
        }
    }

    private static CompletedPart uploadPart(S3Client s3, String bucket, String key, String uploadId, int partNumber, long length,
                                            software.amazon.awssdk.http.ContentStreamProvider content) {
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
