package org.wharf.backup.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.wharf.backup.stream.Compression;
import org.wharf.common.config.ConfigurationRefused;
import org.wharf.common.schedule.InvalidScheduleException;
import org.wharf.common.schedule.ScheduleExpression;
import org.wharf.common.timeout.PlatformChains;

/**
 * The backup targets ({@code wharf.backup.targets.<name>.*}), by name: a PostgreSQL database or a
 * directory. A message names a target, never a connection: where it is and its password stay here.
 */
@ConfigurationProperties("wharf.backup")
public class BackupTargets {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private String bucket = "wharf-backups";
    /**
     * Multipart part size (it doubles every 2,000 parts): two parts are held in memory, off the heap,
     * per running backup. 8 MiB: 16 MiB per backup, three at once within a 64 MiB JVM's direct memory.
     */
    private int partSize = 8 * 1024 * 1024;
    private String pgDump = "pg_dump";
    /**
     * How long pg_dump waits for a table's lock ({@code --lock-wait-timeout}) before the backup fails
     * saying so, rather than hanging until its deadline; a target's {@code lock-wait} overrides it.
     */
    private Duration lockWait = PlatformChains.DEFAULT_PG_DUMP_LOCK_WAIT;
    /** How often a running backup says how far it is (BackupProgress). */
    private Duration progressInterval = Duration.ofSeconds(5);
    /**
     * How often the bucket's open multipart uploads are swept: one that no running backup owns (its
     * abort failed while the store was away, or its process died before it could be recorded) is aborted.
     */
    private Duration abandonedUploadSweep = Duration.ofSeconds(30);

    public Map<String, Target> getTargets() {
        return targets;
    }

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public int getPartSize() {
        return partSize;
    }

    public void setPartSize(int partSize) {
        this.partSize = partSize;
    }

    public String getPgDump() {
        return pgDump;
    }

    public void setPgDump(String pgDump) {
        this.pgDump = pgDump;
    }

    public Duration getLockWait() {
        return lockWait;
    }

    public void setLockWait(Duration lockWait) {
        this.lockWait = lockWait;
    }

    public Duration getProgressInterval() {
        return progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public Duration getAbandonedUploadSweep() {
        return abandonedUploadSweep;
    }

    public void setAbandonedUploadSweep(Duration abandonedUploadSweep) {
        this.abandonedUploadSweep = abandonedUploadSweep;
    }

    /** The target of this name, or null. */
    public Target find(String name) {
        return targets.get(name);
    }

    /** Checks every target at start-up, so that a mistake stops the service instead of failing at 3 a.m. */
    public void validate() {
        if (partSize < 5 * 1024 * 1024) {
            throw refused("wharf.backup.part-size must be at least 5 MiB (S3's smallest part)");
        }
        PlatformChains.checkLockWait("wharf.backup.lock-wait", lockWait);
        if (abandonedUploadSweep.isNegative() || abandonedUploadSweep.toMillis() == 0) {
            throw refused("wharf.backup.abandoned-upload-sweep must be positive, e.g. 30s (it is " + abandonedUploadSweep + ")");
        }
        targets.forEach((name, target) -> {
            if (target.lockWait != null) {
                PlatformChains.checkLockWait("wharf.backup.targets." + name + ".lock-wait", target.lockWait);
            }
            if (!NAME.matcher(name).matches()) {
                throw refused("backup target name '" + name + "' is not 1 to 63 lower-case letters, digits, '-' or '_'");
            }
            target.validate(name);
        });
    }

    public static class Target {
        /** {@code postgres} or {@code directory}. */
        private String type = "postgres";
        private String host = "127.0.0.1";
        private int port = 5432;
        private String database;
        private String user;
        /** The password itself (from the environment, say: WHARF_BACKUP_TARGETS_<NAME>_PASSWORD). */
        private String password;
        /** A file holding the password, first line. */
        private Path passwordFile;
        /** {@code custom} (for pg_restore) or {@code plain}. */
        private String format = "custom";
        /**
         * {@code zstd} (the default: Wharf's, level 3), {@code gzip} (for the custom format, pg_dump's own) or {@code none}.
         * zstd by default because pg_dump's zlib is what bounds a dump: 1 GiB of incompressible bytea took pg_dump -Fc
         * 106 s, and pg_dump --compress=0 piped through zstd 33 s, for a smaller object (bench/README.md).
         */
        private String compression = "zstd";
        /** For a directory target. */
        private Path path;
        /** Where a directory target may be restored: below here only (default: its path's parent). */
        private Path restoreRoot;
        /** When the scheduler backs this target up ({@code @daily}, a cron expression; {@code none}: once); unset: never. */
        private String schedule;
        /** When the scheduler verifies this target's latest backup; {@code off}: never. */
        private String verifySchedule = "@weekly";
        /** The zone both schedules are read in. */
        private String scheduleZone = "UTC";
        private final RetentionSettings retention = new RetentionSettings();
        /** This target's pg_dump, when it is not {@code wharf.backup.pg-dump}: pg_dump refuses a newer server. */
        private String pgDump;
        /** How long pg_dump waits for a table's lock, when not {@code wharf.backup.lock-wait}. */
        private Duration lockWait;
        private String pgRestore = "pg_restore";
        private String psql = "psql";
        /** Who restores (creates databases): the backup role only reads. Default: the backup user. */
        private String restoreUser;
        private String restorePassword;
        /** The databases a restore may go into: names or {@code prefix*} patterns; default {@code <target>_restore*, <target>_copy*}. */
        private List<String> restoreInto;
        /** Whether a restore (with drop) may replace the target's own source database. */
        private boolean allowRestoreOverSource;

        void validate(String name) {
            try {
                retention();
            } catch (IllegalArgumentException e) {
                throw refused("backup target " + name + ": retention " + e.getMessage());
            }
            try {
                ScheduleExpression.zone(scheduleZone);
                if (schedule != null) {
                    ScheduleExpression.parse(schedule);
                }
                if (!verifySchedule.equals("off")) {
                    ScheduleExpression.parse(verifySchedule);
                }
            } catch (InvalidScheduleException e) {
                throw refused("backup target " + name + ": " + e.getMessage());
            }
            if (Compression.named(compression) == null) {
                throw refused("backup target " + name + ": compression '" + compression + "' is not gzip, zstd or none");
            }
            switch (type) {
                case "postgres" -> {
                    if (database == null || database.isBlank() || user == null || user.isBlank()) {
                        throw refused("backup target " + name + " needs a database and a user");
                    }
                    if (!format.equals("custom") && !format.equals("plain")) {
                        throw refused("backup target " + name + ": format '" + format + "' is not custom or plain");
                    }
                    if (passwordFile != null && !Files.isReadable(passwordFile)) {
                        throw refused("backup target " + name + ": its password file cannot be read");
                    }
                }
                case "directory" -> {
                    if (path == null || !path.isAbsolute() || path.getParent() == null) {
                        throw refused("backup target " + name + " needs an absolute path below /");
                    }
                    if (restoreRoot != null && !restoreRoot.isAbsolute()) {
                        throw refused("backup target " + name + ": restore-root must be an absolute path");
                    }
                }
                default -> throw refused("backup target " + name + ": type '" + type
                        + "' is not postgres or directory");
            }
        }

        /** The password, read when needed; null when the database trusts the connection. */
        public String secret() {
            if (password != null) {
                return password;
            }
            if (passwordFile == null) {
                return null;
            }
            try {
                return Files.readAllLines(passwordFile).stream().findFirst().orElse("").trim();
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("the password file of a backup target cannot be read"));
            }
        }

        /**
         * The object's extension, which says what restoring it needs: {@code tar}, {@code dump} (pg_restore)
         * or {@code sql} (psql), then the compression's suffix. A custom dump compressed by pg_dump itself
         * is a plain {@code .dump}.
         */
        public String extension() {
            String kind = isDirectory() ? "tar" : format.equals("custom") ? "dump" : "sql";
            return kind + (pgDumpCompresses() ? "" : compression().suffix());
        }

        public boolean isDirectory() {
            return type.equals("directory");
        }

        /** A custom-format dump with gzip: pg_dump compresses it itself, and Wharf adds nothing. */
        public boolean pgDumpCompresses() {
            return !isDirectory() && format.equals("custom") && compression() == Compression.GZIP;
        }

        /** The pg_dump this target runs: its own, else the service's. */
        public String pgDump(String serviceDefault) {
            return pgDump != null ? pgDump : serviceDefault;
        }

        /** The lock wait this target's pg_dump is given: its own, else the service's. */
        public Duration lockWait(Duration serviceDefault) {
            return lockWait != null ? lockWait : serviceDefault;
        }

        public Duration getLockWait() {
            return lockWait;
        }

        public void setLockWait(Duration lockWait) {
            this.lockWait = lockWait;
        }

        public Compression compression() {
            return Compression.named(compression);
        }

        public void setCompression(String compression) {
            this.compression = compression;
        }

        public String getSchedule() {
            return schedule;
        }

        public void setSchedule(String schedule) {
            this.schedule = schedule;
        }

        public String getVerifySchedule() {
            return verifySchedule;
        }

        public void setVerifySchedule(String verifySchedule) {
            this.verifySchedule = verifySchedule;
        }

        public String getScheduleZone() {
            return scheduleZone;
        }

        public void setScheduleZone(String scheduleZone) {
            this.scheduleZone = scheduleZone;
        }

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getDatabase() {
            return database;
        }

        public void setDatabase(String database) {
            this.database = database;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public void setPasswordFile(Path passwordFile) {
            this.passwordFile = passwordFile;
        }

        public String getFormat() {
            return format;
        }

        public void setFormat(String format) {
            this.format = format;
        }

        public RetentionSettings getRetention() {
            return retention;
        }

        /** The target's retention, checked. */
        public Retention retention() {
            return new Retention(retention.keepLast, retention.maxAge, retention.minKeep);
        }

        public String restoreUser() {
            return restoreUser != null ? restoreUser : user;
        }

        /** The restore user's password; the backup user's when the restore user is the backup user. */
        public String restoreSecret() {
            return restoreUser == null ? secret() : restorePassword;
        }

        public void setRestoreUser(String restoreUser) {
            this.restoreUser = restoreUser;
        }

        public void setRestorePassword(String restorePassword) {
            this.restorePassword = restorePassword;
        }

        /** The restore-into rules of this target (named {@code name}), as configured or by default. */
        public List<String> restoreInto(String name) {
            return restoreInto != null && !restoreInto.isEmpty() ? List.copyOf(restoreInto)
                    : List.of(name + "_restore*", name + "_copy*");
        }

        public void setRestoreInto(List<String> restoreInto) {
            this.restoreInto = restoreInto;
        }

        public boolean isAllowRestoreOverSource() {
            return allowRestoreOverSource;
        }

        public void setAllowRestoreOverSource(boolean allowRestoreOverSource) {
            this.allowRestoreOverSource = allowRestoreOverSource;
        }

        public String getPgRestore() {
            return pgRestore;
        }

        public void setPgRestore(String pgRestore) {
            this.pgRestore = pgRestore;
        }

        public String getPsql() {
            return psql;
        }

        public void setPsql(String psql) {
            this.psql = psql;
        }

        public String getPgDump() {
            return pgDump;
        }

        public void setPgDump(String pgDump) {
            this.pgDump = pgDump;
        }

        public Path getPath() {
            return path;
        }

        /** Below where a directory target may be restored. */
        public Path restoreRoot() {
            return (restoreRoot != null ? restoreRoot : path.getParent()).normalize();
        }

        public void setRestoreRoot(Path restoreRoot) {
            this.restoreRoot = restoreRoot;
        }

        public void setPath(Path path) {
            this.path = path;
        }

        @Override
        public String toString() {
            // Never the password.
            return type + (!isDirectory() ? " " + user + "@" + host + ":" + port + "/" + database : " " + path);
        }
    }

    /** {@code wharf.backup.targets.<name>.retention.*}: keep-last, max-age, min-keep (default 1). */
    public static class RetentionSettings {
        private Integer keepLast;
        private Duration maxAge;
        private int minKeep = 1;

        public void setKeepLast(Integer keepLast) {
            this.keepLast = keepLast;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public void setMinKeep(int minKeep) {
            this.minKeep = minKeep;
        }
    }

    /** A start-up refusal of the targets: one line, and what to correct. */
    private static ConfigurationRefused refused(String message) {
        return new ConfigurationRefused(message, "Correct wharf.backup (see the README, \"Backups\").");
    }
}
