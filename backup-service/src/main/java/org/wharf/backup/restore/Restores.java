package org.wharf.backup.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.wharf.backup.catalog.Catalog;
import org.wharf.backup.directory.DirectoryTar;
import org.wharf.backup.dump.RestoreProcess;
import org.wharf.backup.restore.internal.TargetServer;
import org.wharf.backup.stream.Compression;
import org.wharf.backup.stream.SourceFailedException;
import org.wharf.backup.target.BackupTargets;
import org.wharf.backup.target.BackupTargets.Target;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.message.backup.RestoreCompleted;
import org.wharf.common.message.backup.RestoreFailed;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.util.Reasons;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * RestoreBackup and VerifyBackup. A restore streams the backup from the bucket, decompressed as its key
 * says, into pg_restore or psql (a database) or a tar extraction (a directory), checking its sha256
 * against the catalog on the way. It writes into a staging database or directory that is renamed into
 * place only once all went well, so a failed restore leaves nothing half-written; it never runs while
 * a backup of the target runs, and replaces what exists only when asked to. A verification restores
 * into a scratch database (a directory's tar is read through and checked), records the verdict and
 * the counts in the catalog, and drops the scratch database.
 */
@Component
public class Restores {

    private static final Logger log = LoggerFactory.getLogger(Restores.class);

    private final BackupTargets targets;
    private final Catalog catalog;
    private final S3Client s3;

    public Restores(BackupTargets targets, Catalog catalog, S3Client s3) {
        this.targets = targets;
        this.catalog = catalog;
        this.s3 = s3;
    }

    public void restore(Delivery<RestoreBackup> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        RestoreBackup request = delivery.payload();
        long started = System.nanoTime();
        Catalog.Completed backup = null;
        String reason;
        try {
            Target target = target(request.target());
            boolean directory = target.isDirectory();
            String invalid = directory ? invalidDirectory(target, request.into()) : TargetServer.invalidName(request.into());
            if (invalid != null) {
                throw new Refused(invalid);
            }
            if (catalog.running(request.target())) {
                throw new Refused("a backup of " + request.target() + " is running: restore once it has ended");
            }
            backup = completed(request.target(), request.backup());
            Map<String, Long> counts = directory ? restoreDirectory(backup, Path.of(request.into()), request.drop())
                    : restoreDatabase(target, backup, request.into(), request.drop());
            long millis = (System.nanoTime() - started) / 1_000_000;
            Catalog.Completed restored = backup;
            answer(delivery, Messages.RESTORE_COMPLETED, new RestoreCompleted(request.target(), restored.id(), restored.key(),
                    request.into(), counts, millis));
            log.info("restored {} of {} into {} in {} ms", backup.key(), request.target(), request.into(), millis);
            return;
        } catch (Refused | SdkException | DataAccessException e) {
            reason = whyNot(e);
        }
        answer(delivery, Messages.RESTORE_FAILED, new RestoreFailed(request.target(), backup == null ? null : backup.id(),
                request.into(), reason));
        log.warn("restore of {} into {} failed: {}", request.target(), request.into(), reason);
    }

    /** Restores into a staging database, then renames it to {@code into} (dropping what was there, if asked). */
    private Map<String, Long> restoreDatabase(Target target, Catalog.Completed backup, String into, boolean drop) {
        TargetServer server = new TargetServer(target);
        if (server.exists(into) && !drop) {
            throw new Refused("database " + into + " exists: ask to drop and recreate it (--drop)");
        }
        String staging = "wharf_restore_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            restoreIntoNew(server, target, backup, staging);
            server.drop(into);
            server.rename(staging, into);
        } finally {
            server.drop(staging); // gone already when renamed
        }
        return server.rowCounts(into);
    }

    private Map<String, Long> restoreDirectory(Catalog.Completed backup, Path into, boolean replace) {
        if (Files.exists(into, LinkOption.NOFOLLOW_LINKS) && !replace) {
            throw new Refused("directory " + into + " exists: ask to replace it (--drop)");
        }
        return restoreChecked(backup, in -> DirectoryTar.restore(in, into, replace)).asMap();
    }

    public void verify(Delivery<VerifyBackup> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        VerifyBackup request = delivery.payload();
        Catalog.Completed backup = null;
        String problem = null;
        Map<String, Long> counts = Map.of();
        try {
            Target target = target(request.target());
            backup = completed(request.target(), request.backup());
            try {
                counts = target.isDirectory() ? verifyDirectory(backup) : verifyDatabase(target, backup);
            } catch (BadBackup e) {
                problem = e.getMessage();
            }
            catalog.verified(backup.id(), problem, WharfJson.MAPPER.writeValueAsString(counts));
        } catch (Refused | SdkException | DataAccessException e) {
            problem = whyNot(e);
        }
        answer(delivery, Messages.BACKUP_VERIFIED, new BackupVerified(request.target(), backup == null ? null : backup.id(),
                backup == null ? null : backup.key(), problem, counts));
        log.info("verification of {} of {}: {}", backup == null ? "-" : backup.key(), request.target(),
                problem == null ? "ok, " + counts : problem);
    }

    private Map<String, Long> verifyDatabase(Target target, Catalog.Completed backup) {
        TargetServer server = new TargetServer(target);
        String scratch = "wharf_verify_" + backup.id().replace("-", "").substring(0, 12);
        try {
            restoreIntoNew(server, target, backup, scratch);
            return server.rowCounts(scratch);
        } finally {
            server.drop(scratch);
        }
    }

    /** Restores a database backup into {@code database}, created for it (one left over from a crash goes first). */
    private void restoreIntoNew(TargetServer server, Target target, Catalog.Completed backup, String database) {
        server.drop(database);
        server.create(database);
        restoreChecked(backup, in -> {
            RestoreProcess.restore(target, database, isCustomDump(backup.key()), in);
            return null;
        });
    }

    private Map<String, Long> verifyDirectory(Catalog.Completed backup) {
        return restoreChecked(backup, DirectoryTar::read).asMap();
    }

    /** Where a restore writes the decompressed bytes, and what it makes of them. */
    @FunctionalInterface
    private interface RestoreSink<T> {
        T write(InputStream decompressed) throws IOException;
    }

    /**
     * Streams the backup, decompressed, into the sink, checking the bytes' sha256 on the way; returns
     * what the sink returned.
     *
     * @throws BadBackup when the bytes differ from the catalog's, or they do not restore
     */
    private <T> T restoreChecked(Catalog.Completed backup, RestoreSink<T> sink) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        String restoreFailure = null;
        T result = null;
        try (InputStream in = new DigestInputStream(s3.getObject(b -> b.bucket(backup.bucket()).key(backup.key())), sha256)) {
            try {
                result = sink.write(Compression.ofKey(backup.key()).decompress(in));
            } catch (SourceFailedException e) {
                restoreFailure = "the backup does not restore: " + e.getMessage();
            } catch (IOException e) {
                restoreFailure = "the backup does not restore: " + Reasons.of(e);
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // whatever the tool left unread still counts
        } catch (IOException e) {
            throw new BadBackup("reading the backup failed: " + Reasons.of(e));
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(backup.sha256())) {
            throw new BadBackup("the backup's bytes differ from the catalog: sha256 " + actual + ", catalogued " + backup.sha256());
        }
        if (restoreFailure != null) {
            throw new BadBackup(restoreFailure);
        }
        return result;
    }

    private static boolean isCustomDump(String key) {
        return Compression.withoutSuffix(key).endsWith(".dump");
    }

    /** Null if {@code into} can be a directory to restore into, else why not. */
    private static String invalidDirectory(Target target, String into) {
        Path path = Path.of(into);
        if (!path.isAbsolute() || !path.normalize().equals(path) || path.getParent() == null) {
            return "'" + into + "' is not an absolute, normalised directory path below /";
        }
        // A command may name any path: it gets only one below the target's restore root.
        if (!path.startsWith(target.restoreRoot()) || path.equals(target.restoreRoot())) {
            return into + " is not below the target's restore root " + target.restoreRoot() + " (restore-root)";
        }
        if (!Files.isDirectory(path.getParent())) {
            return "the parent of " + into + " is not a directory";
        }
        return null;
    }

    /** A refusal's reason, or which dependency failed, for whoever asked. */
    private static String whyNot(RuntimeException e) {
        if (e instanceof SdkException) {
            return "the backup store failed: " + Reasons.of(e);
        }
        if (e instanceof DataAccessException) {
            return "the target's server failed: " + Reasons.of(e);
        }
        return e.getMessage();
    }

    private Target target(String name) {
        Target target = targets.find(name);
        if (target == null) {
            throw new Refused("no backup target named " + name);
        }
        return target;
    }

    private Catalog.Completed completed(String target, String idOrKey) {
        Catalog.Completed backup = catalog.completed(target, idOrKey);
        if (backup == null) {
            throw new Refused(idOrKey == null ? "no completed backup of " + target
                    : "no completed backup of " + target + " with id or key " + idOrKey);
        }
        return backup;
    }

    private static <T> void answer(Delivery<?> delivery, MessageType<T> type, T payload) {
        delivery.handleOnce(() -> delivery.emit(type, delivery.key(), payload));
    }

    /** A restore or verification that cannot be done, with the reason for whoever asked. */
    private static class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The backup itself is not good: its bytes differ from the catalog's, or they do not restore. */
    private static final class BadBackup extends Refused {
        private static final long serialVersionUID = 1L;

        BadBackup(String reason) {
            super(reason);
        }
    }
}
