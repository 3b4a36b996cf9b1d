package org.wharf.backup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.backup.BackupEvents.awaitEnd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.backup.BackupApplication;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.infra.LocalPostgres;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.PruneBackups;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.message.backup.RestoreCompleted;
import org.wharf.common.message.backup.RestoreFailed;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.Scenario;
import org.wharf.common.testsupport.SharedInfrastructure;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A restore's trust boundaries, against the real PostgreSQL, pg_restore and S3 server, restoring as a
 * role that may only create databases: destinations only where configuration allows (never the platform's
 * database, the source only when allowed and with drop); a failed swap puts the old database back; a
 * replaced object is caught before pg_restore starts; pg_restore gets only its own environment; row
 * counts beyond 1,000 tables are summarised.
 */
class RestoreSafetyTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final Scenario scenario = new Scenario(kafka);
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "safe_" + SUFFIX;
    private static final String WIDE = "wide_" + SUFFIX;
    private static final String READER = "safe_backup_" + SUFFIX;
    private static final String RESTORER = "safe_restore_" + SUFFIX;
    private static final String PASSWORD = "Pw-" + UUID.randomUUID();
    private static final String RESTORE_PASSWORD = "Rp-" + UUID.randomUUID();
    /** What the restore tool may find in its environment, and nothing else. */
    private static final Set<String> ALLOWED = Set.of("PATH", "LANG", "LC_ALL", "PGPASSWORD", "PGCONNECT_TIMEOUT");

    @TempDir
    static Path work;

    private static LocalInfrastructure infrastructure;
    private static JdbcTemplate superuser;
    private static ConfigurableApplicationContext backups;
    private static S3Client s3;
    private static Path started;
    private static Path environments;

    @BeforeAll
    static void start() throws Exception {
        infrastructure = SharedInfrastructure.get();
        superuser = new JdbcTemplate(infrastructure.postgres().superuser());
        superuser.execute("create database " + SOURCE);
        superuser.execute("create role " + READER + " login password '" + PASSWORD + "'");
        superuser.execute("grant pg_read_all_data to " + READER);
        // The restore role may create databases, and nothing more.
        superuser.execute("create role " + RESTORER + " login createdb password '" + RESTORE_PASSWORD + "'");
        db(SOURCE).execute("create table item (id int primary key, name text)");
        db(SOURCE).execute("insert into item select g, 'item ' || g from generate_series(1, 100) g");
        superuser.execute("create database " + WIDE);
        db(WIDE).execute("do $$ begin for i in 1..1005 loop execute format('create table t%s (id int)', lpad(i::text, 4, '0')); "
                + "execute format('insert into t%s values (1), (2)', lpad(i::text, 4, '0')); end loop; end $$");

        // pg_restore as the target's tool, which first notes that it started and the environment it got.
        started = work.resolve("pg_restore-started");
        environments = work.resolve("environments");
        Files.createDirectories(environments);
        Path noting = work.resolve("noting-pg_restore");
        Files.writeString(noting, "#!/bin/sh\ntouch " + started + "\ncat /proc/$$/environ > " + environments + "/$$\n"
                + "exec pg_restore \"$@\"\n");
        Files.setPosixFilePermissions(noting, PosixFilePermissions.fromString("rwxr-xr-x"));

        Map<String, Object> properties = new HashMap<>();
        target(properties, "safe", SOURCE, noting);
        target(properties, "over", SOURCE, noting);
        properties.put("wharf.backup.targets.over.allow-restore-over-source", "true");
        target(properties, "wide", WIDE, noting);
        backups = SharedInfrastructure.startService(BackupApplication.class, BackupApplication.SERVICE_NAME, "backup", properties);
        s3 = S3Clients.create(infrastructure.s3());
    }

    private static void target(Map<String, Object> properties, String name, String database, Path pgRestore) {
        String prefix = "wharf.backup.targets." + name + ".";
        properties.put(prefix + "port", Integer.toString(infrastructure.postgres().port()));
        properties.put(prefix + "database", database);
        properties.put(prefix + "user", READER);
        properties.put(prefix + "password", PASSWORD);
        properties.put(prefix + "restore-user", RESTORER);
        properties.put(prefix + "restore-password", RESTORE_PASSWORD);
        properties.put(prefix + "pg-restore", pgRestore.toString());
    }

    @AfterAll
    static void stop() {
        if (backups != null) {
            backups.close();
        }
        s3.close();
    }

    @Test
    void theRestoreRoleIsNoSuperuserAndRestoresAndVerifies() {
        assertThat(superuser.queryForObject("select rolsuper from pg_roles where rolname = ?", Boolean.class, RESTORER)).isFalse();
        backUp("safe");
        String into = "safe_restore_" + SUFFIX;
        RestoreCompleted done = restore(new RestoreBackup("safe", null, into, false), Messages.RESTORE_COMPLETED);
        assertThat(done.rowCounts()).containsEntry("public.item", 100L);
        assertThat(owner(into)).isEqualTo(RESTORER);
        BackupVerified verified = scenario.send(Messages.VERIFY_BACKUP, "safe",
                new VerifyBackup("safe", null)).answer(Messages.BACKUP_VERIFIED);
        assertThat(verified.ok()).as(String.valueOf(verified.problem())).isTrue();
    }

    @Test
    void aDestinationOutsideTheRulesIsRefusedAndNothingChanges() {
        backUp("safe");
        long platformTables = superuser.queryForObject("select count(*) from information_schema.tables where table_schema = 'backup'",
                Long.class);
        RestoreFailed platform = failed(new RestoreBackup("safe", null, LocalPostgres.DATABASE, true));
        assertThat(platform.reason()).isEqualTo("database wharf is the platform's own database (the services' schemas): "
                + "never a restore's destination");
        assertThat(superuser.queryForObject("select count(*) from information_schema.tables where table_schema = 'backup'",
                Long.class)).as("the platform's database is intact").isEqualTo(platformTables).isPositive();

        RestoreFailed source = failed(new RestoreBackup("safe", null, SOURCE, true));
        assertThat(source.reason()).isEqualTo("database " + SOURCE + " is the source of target safe: a restore goes over it only "
                + "if the target sets allow-restore-over-source: true");
        RestoreFailed noDrop = failed(new RestoreBackup("over", null, SOURCE, false));
        assertThat(noDrop.reason()).isEqualTo("database " + SOURCE + " is the source of target over: restoring over it needs --drop");
        assertThat(db(SOURCE).queryForObject("select count(*) from item", Long.class)).isEqualTo(100L);

        String elsewhere = "elsewhere_" + SUFFIX;
        RestoreFailed outside = failed(new RestoreBackup("safe", null, elsewhere, false));
        assertThat(outside.reason()).isEqualTo("database " + elsewhere + " is not allowed by restore-into of target safe "
                + "(safe_restore*, safe_copy*)");
        assertThat(exists(elsewhere)).isFalse();
    }

    @Test
    void aFailedRenameIntoPlacePutsTheOldDatabaseBack() {
        backUp("safe");
        String into = "safe_copy_" + SUFFIX;
        restore(new RestoreBackup("safe", null, into, false), Messages.RESTORE_COMPLETED);
        db(into).execute("delete from item where id > 7"); // the old copy: 7 rows
        Restores restores = backups.getBean(Restores.class);
        restores.renameIntoPlaceWith((server, database, newName) -> {
            throw new IllegalStateException("injected: the rename into place fails");
        });
        try {
            RestoreFailed failed = failed(new RestoreBackup("safe", null, into, true));
            assertThat(failed.reason()).isEqualTo("the restored database could not be renamed to " + into
                    + "; the old one is back: injected: the rename into place fails");
        } finally {
            restores.renameIntoPlaceWith(null);
        }
        assertThat(db(into).queryForObject("select count(*) from item", Long.class)).as("the old database, under its name").isEqualTo(7L);
        assertThat(superuser.queryForList("select datname from pg_database where datname like 'wharf_re%'", String.class))
                .as("no staging or set-aside database left").isEmpty();

        restore(new RestoreBackup("safe", null, into, true), Messages.RESTORE_COMPLETED);
        assertThat(db(into).queryForObject("select count(*) from item", Long.class)).isEqualTo(100L);
    }

    @Test
    void aReplacedObjectIsCaughtBeforePgRestoreStarts() throws Exception {
        BackupCompleted backup = backUp("safe");
        Files.deleteIfExists(started);
        s3.putObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(backup.key()), RequestBody.fromString("not a dump"));
        String into = "safe_restore_replaced_" + SUFFIX;
        RestoreFailed failed = failed(new RestoreBackup("safe", backup.backupId(), into, false));
        assertThat(failed.reason()).startsWith("the backup's bytes differ from the catalog: sha256 ");
        assertThat(started).as("pg_restore never started").doesNotExist();
        assertThat(exists(into)).isFalse();
        assertThat(superuser.queryForList("select datname from pg_database where datname like 'wharf_restore_%'", String.class))
                .isEmpty();

        BackupVerified verdict = scenario.send(Messages.VERIFY_BACKUP, "safe",
                new VerifyBackup("safe", backup.backupId())).answer(Messages.BACKUP_VERIFIED);
        assertThat(verdict.problem()).startsWith("the backup's bytes differ from the catalog: sha256 ");
        assertThat(started).as("pg_restore never started for the verification either").doesNotExist();
    }

    @Test
    void pgRestoreGetsOnlyTheEnvironmentItNeeds() throws Exception {
        backUp("safe");
        restore(new RestoreBackup("safe", null, "safe_restore_env_" + SUFFIX, false), Messages.RESTORE_COMPLETED);
        List<Path> seen;
        try (Stream<Path> files = Files.list(environments)) {
            seen = files.toList();
        }
        assertThat(seen).isNotEmpty();
        for (Path file : seen) {
            Map<String, String> environment = Arrays.stream(Files.readString(file, StandardCharsets.UTF_8).split("\0"))
                    .filter(v -> v.contains("=")).collect(Collectors.toMap(v -> v.substring(0, v.indexOf('=')),
                            v -> v.substring(v.indexOf('=') + 1), (a, b) -> b));
            assertThat(environment.keySet()).as("pg_restore's environment").isSubsetOf(ALLOWED);
            assertThat(environment).containsEntry("PGPASSWORD", RESTORE_PASSWORD);
        }
    }

    @Test
    void rowCountsBeyondAThousandTablesAreSummarised() {
        backUp("wide");
        RestoreCompleted done = restore(new RestoreBackup("wide", null, "wide_copy_" + SUFFIX, false), Messages.RESTORE_COMPLETED);
        assertThat(done.rowCounts()).hasSize(1002).containsEntry("(tables)", 1005L).containsEntry("(rows)", 2010L)
                .containsEntry("public.t0001", 2L).containsEntry("public.t1000", 2L).doesNotContainKey("public.t1001");
    }

    @Test
    void aStoreThatRefusesForGoodIsAnsweredNotRetried() {
        // A bucket that does not exist: S3's final answer (404 NoSuchBucket), not a failure to wait out.
        Map<String, Object> overrides = new HashMap<>();
        target(overrides, "safe", SOURCE, work.resolve("noting-pg_restore"));
        overrides.put("wharf.backup.bucket", "no-such-bucket-" + SUFFIX);
        backups.stop();
        try (ConfigurableApplicationContext refusing = SharedInfrastructure.startService(BackupApplication.class,
                BackupApplication.SERVICE_NAME, "backup", overrides)) {
            Envelope prune = kafka.send(Messages.PRUNE_BACKUPS, "safe", new PruneBackups("safe", true));
            BackupFailed failed = new Scenario.Sent(kafka, prune).answer(Messages.BACKUP_FAILED);
            assertThat(failed.reason()).startsWith("prune of safe failed: the backup store refused: ").doesNotContain("\n");
        } finally {
            backups.start();
        }
    }

    private static RestoreFailed failed(RestoreBackup request) {
        return restore(request, Messages.RESTORE_FAILED);
    }

    private static <T> T restore(RestoreBackup request, MessageType<T> answer) {
        return scenario.send(Messages.RESTORE_BACKUP, request.target(), request).answer(answer);
    }

    private static BackupCompleted backUp(String target) {
        List<Envelope> events = awaitEnd(kafka, kafka.send(Messages.RUN_BACKUP, target, new RunBackup(target)));
        Envelope last = events.get(events.size() - 1);
        assertThat(last.type()).as(new String(last.data(), StandardCharsets.UTF_8)).isEqualTo(Messages.BACKUP_COMPLETED.type());
        return Messages.BACKUP_COMPLETED.read(last);
    }

    private static boolean exists(String database) {
        return superuser.queryForObject("select count(*) from pg_database where datname = ?", Integer.class, database) > 0;
    }

    private static String owner(String database) {
        return superuser.queryForObject("select pg_get_userbyid(datdba) from pg_database where datname = ?", String.class, database);
    }

    private static JdbcTemplate db(String database) {
        return new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + infrastructure.postgres().port()
                + "/" + database, "postgres", ""));
    }
}
