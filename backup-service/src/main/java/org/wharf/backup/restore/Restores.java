package org.wharf.backup.restore;

import java.io.IOException;
import java.io.InputStream;
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
import org.wharf.backup.dump.DumpProcess;
import org.wharf.backup.dump.RestoreProcess;
import org.wharf.backup.restore.internal.TargetServer;
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
 * RestoreBackup and VerifyBackup. A restore streams the backup from the bucket into pg_restore (or psql)
 * while checking its sha256 against the catalog; it never runs while a backup of the target runs, and
 * replaces an existing database only when asked to. A verification restores into a scratch database,
 * counts its rows, records the verdict in the catalog and drops the scratch database.
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
            String invalid = TargetServer.invalidName(request.into());
            if (invalid != null) {
                throw new Refused(invalid);
            }
            if (catalog.running(request.target())) {
                throw new Refused("a backup of " + request.target() + " is running: restore once it has ended");
            }
            backup = completed(request.target(), request.backup());
            TargetServer server = new TargetServer(target);
            if (server.exists(request.into())) {
                if (!request.drop()) {
                    throw new Refused("database " + request.into() + " exists: ask to drop and recreate it (--drop)");
                }
                server.drop(request.into());
            }
            server.create(request.into());
            String problem = restoreChecked(target, backup, request.into());
            if (problem != null) {
                throw new Refused(problem);
            }
            Map<String, Long> counts = server.rowCounts(request.into());
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

    public void verify(Delivery<VerifyBackup> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        VerifyBackup request = delivery.payload();
        Catalog.Completed backup = null;
        String problem;
        Map<String, Long> counts = Map.of();
        try {
            Target target = target(request.target());
            backup = completed(request.target(), request.backup());
            TargetServer server = new TargetServer(target);
            String scratch = "wharf_verify_" + backup.id().replace("-", "").substring(0, 12);
            server.drop(scratch);
            server.create(scratch);
            try {
                problem = restoreChecked(target, backup, scratch);
                if (problem == null) {
                    counts = server.rowCounts(scratch);
                }
            } finally {
                server.drop(scratch);
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

    /** Restores, checking the bytes' sha256 on the way; null when all went well, else what did not. */
    private String restoreChecked(Target target, Catalog.Completed backup, String database) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        String restoreFailure = null;
        try (InputStream in = new DigestInputStream(s3.getObject(b -> b.bucket(backup.bucket()).key(backup.key())), sha256)) {
            try {
                RestoreProcess.restore(target, database, in);
            } catch (DumpProcess.DumpFailedException e) {
                restoreFailure = "the backup does not restore: " + e.getMessage();
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // whatever the tool left unread still counts
        } catch (IOException e) {
            return "reading the backup failed: " + Reasons.of(e);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(backup.sha256())) {
            return "the backup's bytes differ from the catalog: sha256 " + actual + ", catalogued " + backup.sha256();
        }
        return restoreFailure;
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
        if (!target.getType().equals("postgres")) {
            throw new Refused("backup target " + name + " is a directory: restoring one is not carried out yet");
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
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
