package org.wharf.common.s3;

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
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                long from = offset;
                int partNumber = number;
                // A provider, not a stream: the SDK opens it again for a retry.
                RequestBody body = RequestBody.fromContentProvider(() -> range(file, from, length), length,
                        "application/octet-stream");
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                        .contentLength(length), body).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /**
     * Streams {@code in} to {@code s3://bucket/key} as a multipart upload, never holding more than two
     * parts in memory: one is read while the other is uploaded. {@code uploadStarted} gets the upload id
     * first, so that whoever runs this can abort it later if this process dies. A failure aborts the
     * upload (no half object) and is rethrown. Returns the number of bytes uploaded.
     */
    public static long putStream(S3Client s3, String bucket, String key, InputStream in, int partSize,
                                 java.util.function.Consumer<String> uploadStarted) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        uploadStarted.accept(uploadId);
        java.util.concurrent.ExecutorService uploader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "s3-part-upload");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletedPart> parts = new ArrayList<>();
            byte[][] buffers = {new byte[partSize], new byte[partSize]};
            java.util.concurrent.Future<CompletedPart> pending = null;
            long total = 0;
            for (int number = 1; ; number++) {
                byte[] buffer = buffers[number % 2];
                int length = in.readNBytes(buffer, 0, partSize);
                if (pending != null) {
                    parts.add(pending.get()); // the other buffer is free again
                    pending = null;
                }
                if (length == 0 && number > 1) {
                    break;
                }
                int partNumber = number;
                total += length;
                pending = uploader.submit(() -> {
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                                    .contentLength((long) length),
                            RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(buffer, 0, length), length,
                                    "application/octet-stream")).eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
                });
                if (length < partSize) {
                    parts.add(pending.get());
                    break;
                }
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            return total;
        } catch (Exception e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            if (e instanceof java.util.concurrent.ExecutionException ee && ee.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            uploader.shutdownNow();
        }
    }

    private static InputStream range(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream whole = Channels.newInputStream(channel);
            return new java.io.FilterInputStream(whole) {
                private long remaining = length;

                @Override
                public int read() throws IOException {
                    if (remaining <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        remaining--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (remaining <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, remaining));
                    if (n > 0) {
                        remaining -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
