package org.wharf.backup.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
import org.wharf.common.consumer.ConsumerConfiguration;
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

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

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

    /** A record holds the row counts of at most this many tables; beyond, the first ones in name order and totals. */
    static final int MAX_COUNTED_TABLES = 1000;
    /** Databases no restore goes into, whatever a target's restore-into says: the server's own. */
    private static final Set<String> SERVER_DATABASES = Set.of("postgres", "template0", "template1");

    private final BackupTargets targets;
    private final Catalog catalog;
    private final S3Client s3;
    /** The database the services' schemas live in (this service's own datasource's): never a destination. */
    private final String platformDatabase;
    /** Renames the restored database into place; a test makes it fail. */
    private volatile Renamer intoPlace = TargetServer::rename;

    public Restores(BackupTargets targets, Catalog catalog, S3Client s3, @Value("${spring.datasource.url}") String datasourceUrl) {
        this.targets = targets;
        this.catalog = catalog;
        this.s3 = s3;
        this.platformDatabase = databaseOf(datasourceUrl);
    }

    /** How the restored database is renamed into place. */
    @FunctionalInterface
    interface Renamer {
        void rename(TargetServer server, String database, String newName);
    }

    /** For a test: the rename of the restored database into place done (or failed) by {@code renamer}. */
    void renameIntoPlaceWith(Renamer renamer) {
        this.intoPlace = renamer == null ? TargetServer::rename : renamer;
    }

    /** The database a PostgreSQL JDBC URL names, as the driver itself reads the URL. */
    static String databaseOf(String jdbcUrl) {
        Properties parsed = Driver.parseURL(jdbcUrl, null);
        if (parsed == null) {
            throw new IllegalStateException("spring.datasource.url is not a PostgreSQL JDBC URL");
        }
        return parsed.getProperty("PGDBNAME");
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
            Path directoryInto = directory ? directoryDestination(request.target(), target, request.into()) : null;
            if (!directory) {
                String refused = databaseRefusal(request.target(), target, request.into(), request.drop());
                if (refused != null) {
                    throw new Refused(refused);
                }
            }
            if (catalog.running(request.target())) {
                throw new Refused("a backup of " + request.target() + " is running: restore once it has ended");
            }
            backup = completed(request.target(), request.backup());
            Map<String, Long> counts = directory ? restoreDirectory(backup, directoryInto, request.drop())
                    : bounded(restoreDatabase(target, backup, request.into(), request.drop()));
            long millis = (System.nanoTime() - started) / 1_000_000;
            Catalog.Completed restored = backup;
            answer(delivery, Messages.RESTORE_COMPLETED, new RestoreCompleted(request.target(), restored.id(), restored.key(),
                    request.into(), counts, millis));
            log.info("restored {} of {} into {} in {} ms", backup.key(), request.target(), request.into(), millis);
            return;
        } catch (Refused e) {
            reason = whyNot(e);
        } catch (DataAccessException | SdkException e) {
            reason = whyNotOrRetry(e);
        }
        answer(delivery, Messages.RESTORE_FAILED, new RestoreFailed(request.target(), backup == null ? null : backup.id(),
                request.into(), reason));
        log.warn("restore of {} into {} failed: {}", request.target(), request.into(), reason);
    }

    /**
     * Restores into a staging database, then renames it to {@code into}. With drop, what was there is
     * renamed aside first, the staged one renamed into place, and only then the old one dropped; if the
     * staged one cannot go into place, the old one is renamed back: never both copies lost.
     */
    private Map<String, Long> restoreDatabase(Target target, Catalog.Completed backup, String into, boolean drop) {
        TargetServer server = new TargetServer(target);
        boolean exists = server.exists(into);
        if (exists && !drop) {
            throw new Refused("database " + into + " exists: ask to drop and recreate it (--drop)");
        }
        String etag = checkWhole(backup); // before anything is created or started
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String staging = "wharf_restore_" + unique;
        try {
            restoreIntoNew(server, target, backup, staging, etag);
            if (!exists) {
                server.rename(staging, into);
            } else {
                String aside = "wharf_replaced_" + unique;
                try {
                    server.rename(into, aside);
                } catch (DataAccessException e) {
                    throw new Refused("database " + into + " could not be renamed aside (is somebody connected to it?); "
                            + "it is unchanged: " + Reasons.of(e));
                }
                try {
                    intoPlace.rename(server, staging, into);
                } catch (RuntimeException e) {
                    server.rename(aside, into);
                    throw new Refused("the restored database could not be renamed to " + into + "; the old one is back: "
                            + Reasons.of(e));
                }
                server.drop(aside);
            }
        } finally {
            server.drop(staging); // gone already when renamed into place
        }
        return server.rowCounts(into);
    }

    private Map<String, Long> restoreDirectory(Catalog.Completed backup, Path into, boolean replace) {
        if (Files.exists(into, LinkOption.NOFOLLOW_LINKS) && !replace) {
            throw new Refused("directory " + into + " exists: ask to replace it (--drop)");
        }
        String etag = checkWhole(backup);
        return restoreChecked(backup, etag, in -> DirectoryTar.restore(in, into, replace)).asMap();
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
            counts = bounded(counts);
            catalog.verified(backup.id(), problem, WharfJson.MAPPER.writeValueAsString(counts));
        } catch (Refused e) {
            problem = whyNot(e);
        } catch (DataAccessException | SdkException e) {
            problem = whyNotOrRetry(e);
        }
        answer(delivery, Messages.BACKUP_VERIFIED, new BackupVerified(request.target(), backup == null ? null : backup.id(),
                backup == null ? null : backup.key(), problem, counts));
        log.info("verification of {} of {}: {}", backup == null ? "-" : backup.key(), request.target(),
                problem == null ? "ok, " + counts : problem);
    }

    private Map<String, Long> verifyDatabase(Target target, Catalog.Completed backup) {
        TargetServer server = new TargetServer(target);
        String scratch = "wharf_verify_" + backup.id().replace("-", "").substring(0, 12);
        String etag = checkWhole(backup); // before the scratch database is created or pg_restore started
        try {
            restoreIntoNew(server, target, backup, scratch, etag);
            return server.rowCounts(scratch);
        } finally {
            server.drop(scratch);
        }
    }

    /** Restores a database backup into {@code database}, created for it (one left over from a crash goes first). */
    private void restoreIntoNew(TargetServer server, Target target, Catalog.Completed backup, String database, String etag) {
        server.drop(database);
        server.create(database);
        restoreChecked(backup, etag, in -> {
            RestoreProcess.restore(target, database, isCustomDump(backup.key()), in);
            return null;
        });
    }

    private Map<String, Long> verifyDirectory(Catalog.Completed backup) {
        // Reading a tar through applies nothing: one pass, hashed, is enough.
        return restoreChecked(backup, null, DirectoryTar::read).asMap();
    }

    /** Where a restore writes the decompressed bytes, and what it makes of them. */
    @FunctionalInterface
    private interface RestoreSink<T> {
        T write(InputStream decompressed) throws IOException;
    }

    /**
     * The first of two reads: the whole object is hashed and compared with the catalog before any byte of
     * it is applied (nothing is created or started before); returns the object's ETag, which the second
     * read requires (If-Match), so that an object replaced between the two reads is not applied either.
     *
     * @throws BadBackup when the bytes differ from the catalog's
     */
    private String checkWhole(Catalog.Completed backup) {
        MessageDigest sha256 = sha256();
        String etag;
        try (ResponseInputStream<GetObjectResponse> object =
                     s3.getObject(b -> b.bucket(backup.bucket()).key(backup.key()));
             InputStream in = new DigestInputStream(object, sha256)) {
            etag = object.response().eTag();
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new BadBackup("reading the backup failed: " + Reasons.of(e));
        }
        compare(backup, sha256);
        return etag;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void compare(Catalog.Completed backup, MessageDigest sha256) {
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(backup.sha256())) {
            throw new BadBackup("the backup's bytes differ from the catalog: sha256 " + actual + ", catalogued " + backup.sha256());
        }
    }

    /**
     * Streams the backup, decompressed, into the sink, checking the bytes' sha256 on the way (again, after
     * {@link #checkWhole}); returns what the sink returned.
     *
     * @param etag the object's ETag when it was checked whole (the read fails if it changed since), or null
     * @throws BadBackup when the bytes differ from the catalog's, or they do not restore
     */
    private <T> T restoreChecked(Catalog.Completed backup, String etag, RestoreSink<T> sink) {
        MessageDigest sha256 = sha256();
        String restoreFailure = null;
        T result = null;
        InputStream object;
        try {
            object = s3.getObject(b -> b.bucket(backup.bucket()).key(backup.key()).ifMatch(etag));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new BadBackup("the backup object changed after its sha256 was checked: not applied");
            }
            throw e;
        }
        try (InputStream in = new DigestInputStream(object, sha256)) {
            try {
                result = sink.write(Compression.ofKey(backup.key()).decompress(in));
            } catch (SourceFailedException e) {
                restoreFailure = "the backup does not restore: " + e.getMessage();
            } catch (IOException e) {
                restoreFailure = "the backup does not restore: " + Reasons.of(e);
            }
            in.transferTo(OutputStream.nullOutputStream()); // whatever the tool left unread still counts
        } catch (IOException e) {
            throw new BadBackup("reading the backup failed: " + Reasons.of(e));
        }
        compare(backup, sha256);
        if (restoreFailure != null) {
            throw new BadBackup(restoreFailure);
        }
        return result;
    }

    private static boolean isCustomDump(String key) {
        return Compression.withoutSuffix(key).endsWith(".dump");
    }

    /**
     * Null if a restore of target {@code name} may go into database {@code into}, else the rule that
     * refuses it: never the platform's own database or the server's; the target's source only when the
     * target allows it, and with drop; else only what the target's restore-into allows.
     */
    String databaseRefusal(String name, Target target, String into, boolean drop) {
        String invalid = TargetServer.invalidName(into);
        if (invalid != null) {
            return invalid;
        }
        if (into.equals(platformDatabase)) {
            return "database " + into + " is the platform's own database (the services' schemas): never a restore's destination";
        }
        if (SERVER_DATABASES.contains(into)) {
            return "database " + into + " is the server's own: never a restore's destination";
        }
        if (into.equals(target.getDatabase())) {
            if (!target.isAllowRestoreOverSource()) {
                return "database " + into + " is the source of target " + name
                        + ": a restore goes over it only if the target sets allow-restore-over-source: true";
            }
            return drop ? null : "database " + into + " is the source of target " + name + ": restoring over it needs --drop";
        }
        List<String> rules = target.restoreInto(name);
        for (String rule : rules) {
            if (rule.endsWith("*") ? into.startsWith(rule.substring(0, rule.length() - 1)) : into.equals(rule)) {
                return null;
            }
        }
        return "database " + into + " is not allowed by restore-into of target " + name + " (" + String.join(", ", rules) + ")";
    }

    /**
     * The directory a restore of target {@code name} goes into: {@code into} with the links on its existing
     * part followed, which must lie below the target's restore root (its real path too); else refused.
     */
    private static Path directoryDestination(String name, Target target, String into) {
        Path path = Path.of(into);
        if (!path.isAbsolute() || !path.normalize().equals(path) || path.getParent() == null) {
            throw new Refused("'" + into + "' is not an absolute, normalised directory path below /");
        }
        if (Files.isSymbolicLink(path)) {
            throw new Refused(into + " is a symbolic link: a restore replaces a directory, never a link's target");
        }
        Path root;
        Path real;
        try {
            root = target.restoreRoot().toRealPath();
            real = realPath(path);
        } catch (IOException e) {
            throw new Refused("the restore root " + target.restoreRoot() + " of target " + name + " does not exist (restore-root)");
        }
        // A command may name any path: it gets only one below the target's restore root, links followed.
        if (!real.startsWith(root) || real.equals(root)) {
            throw new Refused(into + (real.equals(path) ? "" : " (really " + real + ")")
                    + " is not below the target's restore root " + root + " (restore-root)");
        }
        if (!Files.isDirectory(real.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused("the parent of " + into + " is not a directory");
        }
        return real;
    }

    /** The path with every link on its existing part followed; the part that does not exist yet appended as it is. */
    private static Path realPath(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        return existing.toRealPath().resolve(existing.relativize(path)).normalize();
    }

    /**
     * Row counts as a record carries them: all of them up to {@value #MAX_COUNTED_TABLES} tables; beyond,
     * the first ones in name order and the totals under {@code (tables)} and {@code (rows)} (names that no
     * {@code schema.table} can have), so that no record outgrows the broker's limit.
     */
    static Map<String, Long> bounded(Map<String, Long> counts) {
        if (counts.size() <= MAX_COUNTED_TABLES) {
            return counts;
        }
        Map<String, Long> kept = new LinkedHashMap<>();
        new TreeMap<>(counts).entrySet().stream().limit(MAX_COUNTED_TABLES)
                .forEach(e -> kept.put(e.getKey(), e.getValue()));
        kept.put("(tables)", (long) counts.size());
        kept.put("(rows)", counts.values().stream().mapToLong(Long::longValue).sum());
        return kept;
    }

    /**
     * A failure of the store or the target's server that a retry would meet again (access denied,
     * permission denied) as its reason; one of either being away (S3 down, PostgreSQL restarting) is
     * thrown again, for the consumer to retry: it says nothing of the backup, and a verification must
     * not call it bad.
     */
    private static String whyNotOrRetry(RuntimeException e) {
        if (ConsumerConfiguration.isTransient(e)) {
            throw e;
        }
        return whyNot(e);
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
