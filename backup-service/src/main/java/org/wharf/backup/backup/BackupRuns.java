package org.wharf.backup.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.backup.catalog.BackupStatus;
import org.wharf.backup.catalog.Catalog;
import org.wharf.backup.directory.DirectoryTar;
import org.wharf.backup.dump.DumpProcess;
import org.wharf.backup.stream.BackupStream;
import org.wharf.backup.stream.SourceFailedException;
import org.wharf.backup.target.BackupTargets;
import org.wharf.backup.target.BackupTargets.Target;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.BackupProgress;
import org.wharf.common.message.backup.BackupStarted;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.s3.S3Uploads;
import org.wharf.common.util.Reasons;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * RunBackup: BackupStarted (committed first), then pg_dump (or a directory's tar) streamed through a
 * sha256 into a multipart upload under {@code backup/<target>/<target>-<yyyyMMddHHmmss>.<ext>}, with
 * BackupProgress on the way, then BackupCompleted with the catalog row, or BackupFailed with the
 * reason and nothing left in the bucket (an upload whose abort failed too is aborted by
 * the sweep of abandoned uploads once the store answers). A service that dies in
 * the middle gets the RunBackup again (its offset was not committed), aborts the dead attempt's upload
 * and dumps again under the same key.
 */
@Component
public class BackupRuns {

    private static final Logger log = LoggerFactory.getLogger(BackupRuns.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final BackupTargets targets;
    private final Catalog catalog;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final S3Client s3;
    private final Clock clock;
    /** pg_dump's version by binary: the default one checked at start-up, a target's own when first used. */
    private final Map<String, String> tools = new ConcurrentHashMap<>();

    public BackupRuns(BackupTargets targets, Catalog catalog, Outbox outbox, TransactionTemplate tx, S3Client s3, Clock clock) {
        this.targets = targets;
        this.catalog = catalog;
        this.outbox = outbox;
        this.tx = tx;
        this.s3 = s3;
        this.clock = clock;
        targets.validate();
        tools.put(targets.getPgDump(), DumpProcess.version(targets.getPgDump()));
    }

    public void run(Delivery<RunBackup> delivery) {
        String name = delivery.payload().target();
        Target target = targets.find(name);
        if (target == null) {
            delivery.handleOnce(() -> delivery.emit(Messages.BACKUP_FAILED, name, new BackupFailed(name, null,
                    "no backup target named " + name + " (known: " + String.join(", ", new TreeSet<>(targets.getTargets().keySet())) + ")")));
            return;
        }
        delivery.handleOnce(() -> {
            Instant now = clock.instant();
            String id = Envelope.newId();
            String stem = "backup/" + name + "/" + name + "-" + STAMP.format(now);
            String key = stem + "." + target.extension();
            for (int n = 2; catalog.keyTaken(key); n++) {
                key = stem + "-" + n + "." + target.extension(); // two backups in the same second
            }
            String chosen = key;
            catalog.started(id, name, delivery.envelope().id(), targets.getBucket(), chosen, delivery.envelope().correlationId(), now);
            delivery.emit(Messages.BACKUP_STARTED, name, new BackupStarted(name, id, targets.getBucket(), chosen, now));
        });
        Catalog.Entry entry = catalog.byCommand(delivery.envelope().id());
        if (entry != null && entry.status() == BackupStatus.RUNNING) {
            dump(delivery.envelope(), target, entry);
        }
    }

    private void dump(Envelope command, Target target, Catalog.Entry entry) {
        if (entry.uploadId() != null) {
            // An attempt that died in the middle: its parts go before the new attempt starts.
            abortQuietly(entry);
        }
        long started = System.nanoTime();
        String failure;
        try (BackupStream source = open(target)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new Progress(new DigestInputStream(source.output(), sha256), entry, command, started)) {
                long size = S3Uploads.putStream(s3, entry.bucket(), entry.key(), in, targets.getPartSize(),
                        uploadId -> catalog.uploading(entry.id(), uploadId));
                String digest = HexFormat.of().formatHex(sha256.digest());
                long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                String tool = target.isDirectory() ? "tar (" + target.compression().configName() + ")"
                        : tools.computeIfAbsent(target.pgDump(targets.getPgDump()), DumpProcess::version);
                tx.executeWithoutResult(status -> {
                    if (catalog.completed(entry.id(), size, digest, tool, millis)) {
                        outbox.append(Messages.BACKUP_COMPLETED, entry.target(), new BackupCompleted(entry.target(), entry.id(),
                                entry.bucket(), entry.key(), size, digest, millis, tool), command);
                    }
                });
                log.info("backup {} of {}: {} bytes in {} ms to s3://{}/{}", entry.id(), entry.target(), size, millis,
                        entry.bucket(), entry.key());
                return;
            }
        } catch (UncheckedIOException e) {
            failure = e.getCause() instanceof SourceFailedException sourceFailed ? sourceFailed.getMessage()
                    : "reading the " + what(target) + " failed: " + Reasons.of(e);
        } catch (SdkException e) {
            failure = "the backup store failed: " + Reasons.of(e);
        } catch (SourceFailedException e) {
            failure = e.getMessage();
        } catch (IOException e) {
            failure = what(target) + " could not be started: " + Reasons.of(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        } catch (DataAccessException e) {
            throw e; // the catalog is down: the RunBackup is retried, and the backup redone, once it is back
        } catch (RuntimeException e) {
            failure = "the backup failed: " + Reasons.of(e);
        } catch (OutOfMemoryError e) {
            // The parts are the big allocations, and they are gone now: say so rather than die quietly.
            failure = "the backup-service ran out of memory (" + e.getMessage() + "): give it more, or lower wharf.backup.part-size";
        }
        String reason = failure;
        tx.executeWithoutResult(status -> {
            if (catalog.failed(entry.id(), reason)) {
                outbox.append(Messages.BACKUP_FAILED, entry.target(), new BackupFailed(entry.target(), entry.id(), reason), command);
            }
        });
        log.warn("backup {} of {} failed: {}", entry.id(), entry.target(), reason);
    }

    private BackupStream open(Target target) throws IOException {
        return target.isDirectory() ? DirectoryTar.stream(target.getPath(), target.compression())
                : DumpProcess.start(target.pgDump(targets.getPgDump()), target, target.lockWait(targets.getLockWait()));
    }

    private static String what(Target target) {
        return target.isDirectory() ? "directory" : "pg_dump output";
    }

    /** Counts what is read, and says so (BackupProgress) every progress interval. */
    private final class Progress extends FilterInputStream {
        private final Catalog.Entry entry;
        private final Envelope command;
        private final long startedNanos;
        private final Long expected;
        private long bytes;
        private long lastReport;

        Progress(InputStream in, Catalog.Entry entry, Envelope command, long startedNanos) {
            super(in);
            Catalog.Completed previous = catalog.completed(entry.target(), null);
            this.expected = previous == null ? null : previous.size();
            this.entry = entry;
            this.command = command;
            this.startedNanos = startedNanos;
            this.lastReport = startedNanos;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            counted(Math.max(n, 0));
            return n;
        }

        private void counted(int n) {
            bytes += n;
            long now = System.nanoTime();
            if (now - lastReport >= targets.getProgressInterval().toNanos()) {
                lastReport = now;
                long sent = bytes;
                tx.executeWithoutResult(status -> outbox.append(Messages.BACKUP_PROGRESS, entry.target(),
                        new BackupProgress(entry.target(), entry.id(), sent, Duration.ofNanos(now - startedNanos).toMillis(), expected),
                        command));
            }
        }
    }

    private void abortQuietly(Catalog.Entry entry) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(entry.bucket()).key(entry.key()).uploadId(entry.uploadId()));
        } catch (SdkException e) {
            log.info("backup {}: the interrupted upload {} could not be aborted ({}); the sweep of abandoned uploads will",
                    entry.id(), entry.uploadId(), Reasons.of(e));
        }
    }
}
