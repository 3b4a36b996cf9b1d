package org.wharf.loader.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.wharf.common.consumer.RetryLater;
import org.wharf.common.s3.S3Breaker;
import org.wharf.common.s3.S3Uploads;
import org.wharf.loader.archive.internal.ArchiveRows;
import org.wharf.loader.archive.internal.ArchiveRows.DirectoryRow;
import org.wharf.loader.archive.internal.Pack;
import org.wharf.loader.swhid.ContentSink;
import org.wharf.loader.swhid.GitObjectHasher;
import org.wharf.loader.swhid.ObjectId;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stores one deposit's objects while its archive is hashed: small contents gathered into packs, larger
 * ones through a scratch file (their id, hence their key, is known only once they are read), contents
 * over the size limit recorded as skipped. A content the archive already has is neither uploaded nor
 * recorded again. Uploads run in the background, a few at a time, while the archive is read on.
 *
 * <p>Every object is claimed in the schema before its upload and marked stored after it, so that a
 * load that dies in between leaves a claim that the next load of the deposit removes, object included.
 * {@link #complete()} returns only when everything the tree refers to is stored.
 */
public final class ArchiveLoad implements ContentSink, AutoCloseable {

    /** Software Heritage's reason for a content over the size limit. */
    public static final String TOO_LARGE = "Content too large";

    static final String SPOOL_SUFFIX = ".spool";

    private static final int DIRECTORY_BATCH_ENTRIES = 10_000;

    /** What a load stored, for the log and the benchmark. */
    public record Summary(long contents, long newContents, long newBytes, long skipped, long objects, long directories) {
    }

    private final String depositId;
    private final ArchiveSettings settings;
    private final ArchiveRows rows;
    private final S3Client s3;
    private final S3Breaker breaker;
    private final StoreObserver observer;
    private final ExecutorService uploader;
    private final Path scratch;

    private final Semaphore uploadSlots;
    private final AtomicReference<RuntimeException> uploadFailure = new AtomicReference<>();
    private final Set<ObjectId> storedElsewhere = new HashSet<>();
    private final Map<ObjectId, Long> skipped = new LinkedHashMap<>();
    private final List<DirectoryRow> directories = new ArrayList<>();
    private int directoryEntries;
    private Pack pack;

    private long contents;
    private final AtomicLong newContents = new AtomicLong();
    private final AtomicLong newBytes = new AtomicLong();
    private final AtomicLong objects = new AtomicLong();
    private long directoryCount;
    private boolean completed;

    ArchiveLoad(String depositId, ArchiveSettings settings, ArchiveRows rows, S3Client s3, S3Breaker breaker,
                StoreObserver observer, ExecutorService uploader, Path scratch) {
        this.depositId = depositId;
        this.settings = settings;
        this.rows = rows;
        this.s3 = s3;
        this.breaker = breaker;
        this.observer = observer;
        this.uploader = uploader;
        this.scratch = scratch;
        this.uploadSlots = new Semaphore(settings.uploadConcurrency());
        this.pack = newPack();
    }

    @Override
    public Content open(long size) {
        failIfUploadFailed();
        contents++;
        if (size > settings.maxContentSize().toBytes()) {
            return new Skipped(size);
        }
        if (size <= settings.packThreshold().toBytes()) {
            return new Buffered((int) size);
        }
        return new Spooled(size);
    }

    @Override
    public void directory(ObjectId id, List<GitObjectHasher.TreeEntry> entries) {
        directories.add(new DirectoryRow(id, entries));
        directoryCount++;
        directoryEntries += entries.size() + 1;
        if (directoryEntries >= DIRECTORY_BATCH_ENTRIES) {
            flushDirectories();
        }
    }

    /**
     * Uploads what is still buffered, waits for every upload, records directories and skipped contents,
     * and waits for contents that other loads were still uploading.
     *
     * @throws RetryLater if a content another load claimed is not stored yet (or never will be: that load
     *     died); an upload's own failure (S3 down) is rethrown as it was
     */
    public Summary complete() {
        flushPack();
        awaitUploads();
        failIfUploadFailed();
        flushDirectories();
        rows.skipped(skipped, TOO_LARGE);
        awaitStoredElsewhere();
        completed = true;
        return new Summary(contents, newContents.get(), newBytes.get(), skipped.size(), objects.get(), directoryCount);
    }

    /** Waits for uploads still running (a failed load must not race its own retry), then frees the scratch files. */
    @Override
    public void close() {
        if (!completed) {
            awaitUploads();
        }
    }

    private void addToPack(ObjectId id, byte[] content, int length) {
        if (pack.contains(id)) {
            return;
        }
        pack.add(id, content, length);
        if (pack.size() >= settings.packSize().toBytes()) {
            flushPack();
        }
    }

    private void flushPack() {
        Pack full = pack;
        pack = newPack();
        if (full.isEmpty()) {
            return;
        }
        Set<ObjectId> drop = alreadyArchived(full.ids());
        Pack.Packed packed = full.without(drop);
        if (packed.segments().isEmpty()) {
            return;
        }
        String key = "pack/" + UUID.randomUUID();
        if (!rows.claim(key, depositId, packed.bytes().length, packed.segments())) {
            throw new IllegalStateException("pack key " + key + " is taken");
        }
        long bytes = packed.segments().stream().mapToLong(Pack.Segment::length).sum();
        byte[] body = packed.bytes();
        upload(key, () -> s3.putObject(b -> b.bucket(settings.bucket()).key(key), RequestBody.fromBytes(body)),
                packed.segments().size(), bytes, () -> { });
    }

    private void storeLarge(ObjectId id, long size, Path file) {
        boolean handedOver = false;
        try {
            if (!alreadyArchived(List.of(id)).isEmpty()) {
                return;
            }
            String key = "content/" + id.hex();
            if (!rows.claim(key, depositId, size, List.of(new Pack.Segment(id, 0, size)))) {
                // Claimed by another load between our look and our claim: theirs to store.
                storedElsewhere.add(id);
                return;
            }
            upload(key, () -> S3Uploads.putFile(s3, settings.bucket(), key, file, S3Uploads.DEFAULT_PART_SIZE), 1, size,
                    () -> deleteQuietly(file));
            handedOver = true;
        } finally {
            if (!handedOver) {
                deleteQuietly(file);
            }
        }
    }

    /** Of {@code ids}, those the archive already has or another load is storing (remembered, to wait for). */
    private Set<ObjectId> alreadyArchived(List<ObjectId> ids) {
        Map<ObjectId, Boolean> known = rows.known(ids);
        known.forEach((id, stored) -> {
            if (!stored) {
                storedElsewhere.add(id);
            }
        });
        return known.keySet();
    }

    /** Uploads in the background once a slot is free; {@code cleanup} runs however it ends. */
    private void upload(String key, Runnable put, int contentCount, long contentBytes, Runnable cleanup) {
        try {
            uploadSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cleanup.run();
            throw new IllegalStateException("interrupted while waiting to upload " + key);
        }
        Runnable task = () -> {
            try {
                breaker.call(() -> {
                    put.run();
                    return null;
                });
                observer.uploaded(key);
                if (!rows.markStored(key)) {
                    throw new RetryLater("the claim on " + key + " was removed while it was uploaded "
                            + "(another load of deposit " + depositId + " took over)");
                }
                objects.incrementAndGet();
                newContents.addAndGet(contentCount);
                newBytes.addAndGet(contentBytes);
            } catch (RuntimeException e) {
                uploadFailure.compareAndSet(null, e);
            } finally {
                cleanup.run();
                uploadSlots.release();
            }
        };
        try {
            uploader.execute(task);
        } catch (RuntimeException e) { // executor shut down: the service is stopping
            cleanup.run();
            uploadSlots.release();
            throw e;
        }
    }

    private void awaitUploads() {
        int slots = settings.uploadConcurrency();
        boolean interrupted = false;
        while (true) {
            try {
                uploadSlots.acquire(slots);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the uploads hold files and claims: wait for them all the same
            }
        }
        uploadSlots.release(slots);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void failIfUploadFailed() {
        RuntimeException failure = uploadFailure.get();
        if (failure != null) {
            throw failure;
        }
    }

    /** Contents claimed by other loads must be stored before this load can say its tree is archived. */
    private void awaitStoredElsewhere() {
        if (storedElsewhere.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + settings.awaitOtherLoads().toNanos();
        while (true) {
            Map<ObjectId, Boolean> known = rows.known(storedElsewhere);
            if (known.size() == storedElsewhere.size() && !known.containsValue(false)) {
                return;
            }
            if (known.size() < storedElsewhere.size()) {
                throw new RetryLater("a content of deposit " + depositId
                        + " was being stored by another load that did not finish; the load will be retried");
            }
            if (System.nanoTime() > deadline) {
                throw new RetryLater("contents of deposit " + depositId + " are still being stored by another load after "
                        + settings.awaitOtherLoads() + "; the load will be retried");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for another load");
            }
        }
    }

    private void flushDirectories() {
        rows.directories(directories);
        directories.clear();
        directoryEntries = 0;
    }

    private Pack newPack() {
        return new Pack((int) Math.min(settings.packSize().toBytes() + settings.packThreshold().toBytes(), 1 << 20));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a scratch file: one left behind is removed at a later start
        }
    }

    /** A content too large to store: only its id and length are recorded. */
    private final class Skipped implements Content {
        private final long size;

        Skipped(long size) {
            this.size = size;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
        }

        @Override
        public void hashed(ObjectId id) {
            skipped.put(id, size);
        }
    }

    /** A small content, held in memory until it joins the current pack. */
    private final class Buffered implements Content {
        private final byte[] bytes;
        private int length;

        Buffered(int size) {
            this.bytes = new byte[size];
        }

        @Override
        public void write(byte[] buffer, int offset, int count) {
            System.arraycopy(buffer, offset, bytes, length, count);
            length += count;
        }

        @Override
        public void hashed(ObjectId id) {
            addToPack(id, bytes, length);
        }
    }

    /** A large content, written to a scratch file while it is hashed, uploaded once its id is known. */
    private final class Spooled implements Content {
        private final long size;
        private final Path file;
        private final OutputStream out;

        Spooled(long size) {
            this.size = size;
            try {
                Files.createDirectories(scratch);
                this.file = Files.createTempFile(scratch, "content-", SPOOL_SUFFIX);
                this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to the scratch folder " + scratch, e);
            }
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            try {
                out.write(buffer, offset, length);
            } catch (IOException e) {
                abandon();
                throw new UncheckedIOException("cannot write to the scratch folder " + scratch, e);
            }
        }

        @Override
        public void hashed(ObjectId id) {
            try {
                out.close();
            } catch (IOException e) {
                abandon();
                throw new UncheckedIOException("cannot write to the scratch folder " + scratch, e);
            }
            storeLarge(id, size, file);
        }

        @Override
        public void abandon() {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
            deleteQuietly(file);
        }
    }
}
