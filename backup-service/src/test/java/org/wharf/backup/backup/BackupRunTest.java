package org.wharf.backup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.backup.BackupEvents.awaitEnd;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

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
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.BackupPinned;
import org.wharf.common.message.backup.BackupProgress;
import org.wharf.common.message.backup.PinBackup;
import org.wharf.common.message.backup.BackupStarted;
import org.wharf.common.message.backup.BackupPruned;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.backup.PruneBackups;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.message.backup.RestoreCompleted;
import org.wharf.common.message.backup.RestoreFailed;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.Scenario;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.testsupport.TcpProxy;
import org.wharf.common.topic.Topic;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * RunBackup against a real PostgreSQL 15 with the real pg_dump and a real S3 server: the backup restores
 * (pg_restore) to identical tables; pg_dump dying mid-stream, or the store being down, gives BackupFailed
 * and leaves no object and no upload behind; the target's password is in no record.
 */
class BackupRunTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final Scenario scenario = new Scenario(kafka);
    private static final String PASSWORD = "Pw-" + UUID.randomUUID();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String DATABASE = "shop_" + SUFFIX;
    private static final String ROLE = "shop_backup_" + SUFFIX;
    private static final String TINY = "tiny_" + SUFFIX;
    private static final String LOCKED = "locked_" + SUFFIX;

    @TempDir
    static Path work;

    private static String gateFile(Path work) {
        return work.resolve("gate").toString();
    }

    private static LocalInfrastructure infrastructure;
    private static JdbcTemplate superuser;
    private static ConfigurableApplicationContext backups;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        infrastructure = SharedInfrastructure.get();
        superuser = new JdbcTemplate(infrastructure.postgres().superuser());
        superuser.execute("create database " + DATABASE);
        superuser.execute("create role " + ROLE + " login password '" + PASSWORD + "'");
        superuser.execute("grant pg_read_all_data to " + ROLE);
        JdbcTemplate shop = shop(DATABASE);
        shop.execute("create table customer (id int primary key, name text not null, joined date)");
        shop.execute("insert into customer select g, 'customer ' || g, date '2020-01-01' + g from generate_series(1, 5000) g");
        shop.execute("create table purchase (id bigint primary key, customer int references customer, note text)");
        shop.execute("insert into purchase select g, 1 + g % 5000, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) "
                + "from generate_series(1, 300000) g");

        // A pg_dump that dies (kill -9) after 30 MB of a plain dump: several parts are uploaded by then.
        Path dying = work.resolve("dying-pg_dump");
        Files.writeString(dying, "#!/bin/sh\npg_dump \"$@\" | head -c 30000000\nkill -9 $$\n");
        Files.setPosixFilePermissions(dying, PosixFilePermissions.fromString("rwxr-xr-x"));

        // A pg_dump that stops for a minute after 12 MB: long enough to be killed in the middle.
        Path slow = work.resolve("slow-pg_dump");
        Files.writeString(slow, "#!/bin/sh\npg_dump \"$@\" | { head -c 12000000; sleep 60; cat; }\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));

        // A pg_dump that holds after 20 MB (several parts, gzipped) while the gate file exists.
        Path gated = work.resolve("gated-pg_dump");
        Files.writeString(gated, "#!/bin/sh\npg_dump \"$@\" | { head -c 20000000; while [ -e " + gateFile(work)
                + " ]; do sleep 0.1; done; cat; }\n");
        Files.setPosixFilePermissions(gated, PosixFilePermissions.fromString("rwxr-xr-x"));

        superuser.execute("create database " + TINY);
        shop(TINY).execute("create table note (id int primary key, body text)");
        shop(TINY).execute("insert into note select g, 'note ' || g from generate_series(1, 10) g");

        superuser.execute("create database " + LOCKED);
        shop(LOCKED).execute("create table ledger (id int primary key, amount numeric)");
        shop(LOCKED).execute("insert into ledger select g, g * 1.5 from generate_series(1, 10) g");

        Map<String, Object> targets = new HashMap<>();
        target(targets, "locked", "custom");
        targets.put("wharf.backup.targets.locked.database", LOCKED);
        targets.put("wharf.backup.targets.locked.lock-wait", "2s");
        target(targets, "shop-slow", "plain");
        target(targets, "tiny", "custom");
        targets.put("wharf.backup.targets.tiny.database", TINY);
        targets.put("wharf.backup.targets.tiny.retention.keep-last", "2");
        target(targets, "shop", "custom");
        target(targets, "shop-zstd", "custom");
        targets.put("wharf.backup.targets.shop-zstd.compression", "zstd");
        target(targets, "tiny-zstd-plain", "plain");
        targets.put("wharf.backup.targets.tiny-zstd-plain.database", TINY);
        targets.put("wharf.backup.targets.tiny-zstd-plain.compression", "zstd");
        target(targets, "tiny-pinned", "custom");
        targets.put("wharf.backup.targets.tiny-pinned.database", TINY);
        targets.put("wharf.backup.targets.tiny-pinned.retention.keep-last", "1");
        target(targets, "many", "custom");
        targets.put("wharf.backup.targets.many.retention.keep-last", "2");
        target(targets, "shop-gated", "plain");
        targets.put("wharf.backup.targets.shop-gated.pg-dump", gated.toString());
        targets.put("wharf.backup.progress-interval", "200ms");
        target(targets, "shop-plain", "plain");
        target(targets, "shop-dying", "plain");
        targets.put("wharf.backup.targets.shop-dying.pg-dump", dying.toString());
        targets.put("wharf.backup.part-size", Integer.toString(5 * 1024 * 1024));
        backups = SharedInfrastructure.startService(BackupApplication.class, BackupApplication.SERVICE_NAME, "backup", targets);
        s3 = S3Clients.create(infrastructure.s3());
    }

    private static void target(Map<String, Object> properties, String name, String format) {
        String prefix = "wharf.backup.targets." + name + ".";
        properties.put(prefix + "host", "127.0.0.1");
        properties.put(prefix + "port", Integer.toString(infrastructure.postgres().port()));
        properties.put(prefix + "database", DATABASE);
        properties.put(prefix + "user", ROLE);
        properties.put(prefix + "password", PASSWORD);
        properties.put(prefix + "format", format);
        properties.put(prefix + "compression", "gzip"); // as these tests were written; zstd targets say so after
        properties.put(prefix + "restore-user", "postgres");
        properties.put(prefix + "restore-into", "restored_*,x_*"); // where these tests restore
    }

    @AfterAll
    static void stop() {
        if (backups != null) {
            backups.close();
        }
        s3.close();
        kafka.close();
    }

    @Test
    void aBackupRestoresToIdenticalTables() throws Exception {
        Envelope run = kafka.send(Messages.RUN_BACKUP, "shop", new RunBackup("shop"));
        List<Envelope> events = awaitEnd(kafka, run);
        assertThat(events.get(0).type()).isEqualTo(Messages.BACKUP_STARTED.type());
        BackupStarted started = Messages.BACKUP_STARTED.read(events.get(0));
        assertThat(started.key()).matches("backup/shop/shop-\\d{14}\\.dump");
        Envelope last = events.get(events.size() - 1);
        assertThat(last.type()).as(new String(last.data(), StandardCharsets.UTF_8)).isEqualTo(Messages.BACKUP_COMPLETED.type());
        BackupCompleted completed = Messages.BACKUP_COMPLETED.read(last);
        assertThat(completed.key()).isEqualTo(started.key());
        assertThat(completed.tool()).startsWith("pg_dump (PostgreSQL) 15");

        Path dump = work.resolve("shop.dump");
        try (InputStream in = s3.getObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(completed.key()))) {
            Files.copy(in, dump);
        }
        assertThat(Files.size(dump)).isEqualTo(completed.size());
        assertThat(sha256(dump)).isEqualTo(completed.sha256());

        String restored = "restored_" + SUFFIX;
        superuser.execute("create database " + restored);
        run(List.of("pg_restore", "--host", "127.0.0.1", "--port", Integer.toString(infrastructure.postgres().port()),
                "--username", "postgres", "--dbname", restored, "--no-owner", dump.toString()));
        for (String table : List.of("customer", "purchase")) {
            assertThat(checksum(shop(restored), table)).as(table).isEqualTo(checksum(shop(DATABASE), table));
        }
        assertThat(new String(last.data(), StandardCharsets.UTF_8)).doesNotContain(PASSWORD);
    }

    @Test
    void pgDumpDyingMidStreamFailsTheBackupAndLeavesNothingBehind() throws Exception {
        Envelope run = kafka.send(Messages.RUN_BACKUP, "shop-dying", new RunBackup("shop-dying"));
        List<Envelope> events = awaitEnd(kafka, run);
        Envelope last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(Messages.BACKUP_FAILED.type());
        BackupFailed failed = Messages.BACKUP_FAILED.read(last);
        assertThat(failed.reason()).startsWith("pg_dump exited with status 137");
        assertThat(failed.reason()).doesNotContain(PASSWORD);
        String key = Messages.BACKUP_STARTED.read(events.get(0)).key();
        assertThat(s3.listObjectsV2(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).contents())
                .as("no object").isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).uploads())
                .as("no upload left open").isEmpty();
        JdbcTemplate catalog = backups.getBean(JdbcTemplate.class);
        assertThat(catalog.queryForObject("select status from backup where key = ?", String.class, key)).isEqualTo("failed");
        assertThat(catalog.queryForObject("select upload_id from backup where key = ?", String.class, key))
                .as("an upload was under way when pg_dump died").isNotNull();
    }

    @Test
    void aTableLockedLongerThanTheLockWaitFailsTheBackupSayingSoAndLeavesNothingBehind() throws Exception {
        Envelope run;
        List<Envelope> events;
        // A migration, say, holds the table ACCESS EXCLUSIVE: pg_dump's ACCESS SHARE waits for it.
        try (Connection migration = shop(LOCKED).getDataSource().getConnection()) {
            migration.setAutoCommit(false);
            try (Statement statement = migration.createStatement()) {
                statement.execute("lock table ledger in access exclusive mode");
            }
            run = kafka.send(Messages.RUN_BACKUP, "locked", new RunBackup("locked"));
            events = awaitEnd(kafka, run);
            migration.rollback();
        }
        Envelope last = events.get(events.size() - 1);
        assertThat(last.type()).as(new String(last.data(), StandardCharsets.UTF_8)).isEqualTo(Messages.BACKUP_FAILED.type());
        BackupFailed failed = Messages.BACKUP_FAILED.read(last);
        assertThat(failed.reason()).startsWith("pg_dump waited longer than its lock wait (2s, lock-wait) for a table lock "
                + "that another session holds: pg_dump exited with status 1").contains("LOCK TABLE public.ledger")
                .doesNotContain(PASSWORD);
        String key = Messages.BACKUP_STARTED.read(events.get(0)).key();
        assertThat(s3.listObjectsV2(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).contents())
                .as("no object").isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).uploads())
                .as("no upload left open").isEmpty();
        assertThat(backups.getBean(JdbcTemplate.class).queryForObject("select status from backup where key = ?", String.class, key))
                .isEqualTo("failed");
    }

    @Test
    void aBackupInterruptedByACrashIsDoneAgainWhenTheServiceRestarts() throws Exception {
        Map<String, Object> child = new HashMap<>(infrastructure.serviceProperties("backup"));
        target(child, "shop-slow", "plain");
        child.put("wharf.backup.targets.shop-slow.pg-dump", work.resolve("slow-pg_dump").toString());
        child.put("wharf.backup.part-size", Integer.toString(5 * 1024 * 1024));
        child.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        child.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        Path log = work.resolve("crashing-backup-service.log");
        backups.stop(); // the crashing process alone takes the backup
        Process crashing = ServiceProcess.start(BackupApplication.class, BackupApplication.SERVICE_NAME, child, 256, log, null);
        try {
            ServiceProcess.awaitStarted(crashing, log, Duration.ofSeconds(90));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            Envelope run = kafka.send(Messages.RUN_BACKUP, "shop-slow", new RunBackup("shop-slow"));
            String uploadId = null;
            while (uploadId == null) {
                assertThat(System.nanoTime()).as("the upload began").isLessThan(deadline);
                List<String> ids = superuser.queryForList("select upload_id from backup.backup where command_id = ? "
                        + "and upload_id is not null", String.class, run.id());
                uploadId = ids.isEmpty() ? null : ids.get(0);
                Thread.sleep(100);
            }
            List<ProcessHandle> children = crashing.descendants().toList(); // its pg_dump, which a kill leaves behind
            crashing.destroyForcibly(); // kill -9 in the middle of the dump
            assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();
            children.forEach(ProcessHandle::destroyForcibly);
            String key = superuser.queryForObject("select key from backup.backup where command_id = ?", String.class, run.id());
            assertThat(s3.listMultipartUploads(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).uploads())
                    .as("the dead process left its upload open").hasSize(1);

            backups.start();
            List<Envelope> events = awaitEnd(kafka, run);
            assertThat(events).extracting(Envelope::type).filteredOn(type -> !Messages.BACKUP_PROGRESS.is(type))
                    .containsExactly(Messages.BACKUP_STARTED.type(), Messages.BACKUP_COMPLETED.type());
            BackupCompleted completed = Messages.BACKUP_COMPLETED.read(events.get(events.size() - 1));
            assertThat(completed.key()).isEqualTo(key);
            assertThat(s3.listMultipartUploads(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).uploads())
                    .as("the dead upload was aborted").isEmpty();
            Path dump = work.resolve("restarted.sql.gz");
            try (InputStream in = s3.getObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(key))) {
                Files.copy(in, dump);
            }
            assertThat(sha256(dump)).isEqualTo(completed.sha256());
            try (InputStream in = new GZIPInputStream(Files.newInputStream(dump))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("PostgreSQL database dump complete");
            }
        } finally {
            crashing.descendants().forEach(ProcessHandle::destroyForcibly);
            crashing.destroyForcibly();
            if (!backups.isRunning()) {
                backups.start();
            }
        }
    }

    @Test
    void runningOutOfMemoryFailsTheBackupWithTheReasonAndLeavesNothingBehind() throws Exception {
        // Two 5 MiB parts do not fit in 8 MiB of direct memory: the service says so, and lives on.
        Map<String, Object> child = new HashMap<>(infrastructure.serviceProperties("backup"));
        target(child, "shop", "custom");
        child.put("wharf.backup.part-size", Integer.toString(5 * 1024 * 1024));
        Path log = work.resolve("starved-backup-service.log");
        backups.stop();
        Process starved = ServiceProcess.start(BackupApplication.class, BackupApplication.SERVICE_NAME, child, 256, log, null,
                "-XX:MaxDirectMemorySize=8m");
        try {
            ServiceProcess.awaitStarted(starved, log, Duration.ofSeconds(90));
            Envelope run = kafka.send(Messages.RUN_BACKUP, "shop", new RunBackup("shop"));
            List<Envelope> events = awaitEnd(kafka, run);
            BackupFailed failed = Messages.BACKUP_FAILED.read(events.get(events.size() - 1));
            assertThat(failed.reason()).startsWith("the backup-service ran out of memory").contains("wharf.backup.part-size");
            String key = Messages.BACKUP_STARTED.read(events.get(0)).key();
            assertThat(s3.listMultipartUploads(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).uploads())
                    .as("the upload was aborted").isEmpty();
            assertThat(starved.isAlive()).as("the service lives on").isTrue();
        } finally {
            starved.descendants().forEach(ProcessHandle::destroyForcibly);
            starved.destroyForcibly();
            starved.waitFor(30, TimeUnit.SECONDS);
            backups.start();
        }
    }

    @Test
    void aStoreThatIsDownFailsTheBackupWithTheReason() {
        Map<String, Object> overrides = new HashMap<>();
        target(overrides, "shop", "custom");
        overrides.put("wharf.s3.endpoint", "http://127.0.0.1:9"); // nothing listens there
        backups.stop();
        try (ConfigurableApplicationContext storeDown = SharedInfrastructure.startService(BackupApplication.class,
                BackupApplication.SERVICE_NAME, "backup", overrides)) {
            Envelope run = kafka.send(Messages.RUN_BACKUP, "shop", new RunBackup("shop"));
            List<Envelope> events = awaitEnd(kafka, run);
            BackupFailed failed = Messages.BACKUP_FAILED.read(events.get(events.size() - 1));
            assertThat(failed.reason()).startsWith("the backup store failed: ");
            assertThat(failed.reason()).doesNotContain(PASSWORD).doesNotContain("\n");
            String status = storeDown.getBean(JdbcTemplate.class).queryForObject(
                    "select status from backup where id = ?", String.class, failed.backupId());
            assertThat(status).isEqualTo("failed");
        } finally {
            backups.start();
        }
    }

    @Test
    void anUploadLeftOpenWhileTheStoreWasAwayIsAbortedOnceItIsBackAndARunningOneIsLeftAlone() throws Exception {
        Path gate = Path.of(gateFile(work));
        Files.writeString(gate, "closed");
        Map<String, Object> overrides = new HashMap<>();
        target(overrides, "shop-gated", "plain");
        overrides.put("wharf.backup.targets.shop-gated.pg-dump", work.resolve("gated-pg_dump").toString());
        overrides.put("wharf.backup.part-size", Integer.toString(5 * 1024 * 1024));
        overrides.put("wharf.backup.abandoned-upload-sweep", "300ms");
        String prefix = "backup/shop-gated/";
        backups.stop();
        try (TcpProxy store = TcpProxy.start(infrastructure.s3().getEndpoint().getPort())) {
            overrides.put("wharf.s3.endpoint", "http://127.0.0.1:" + store.port());
            try (ConfigurableApplicationContext flaky = SharedInfrastructure.startService(BackupApplication.class,
                    BackupApplication.SERVICE_NAME, "backup", overrides)) {
                Envelope run = kafka.send(Messages.RUN_BACKUP, "shop-gated", new RunBackup("shop-gated"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (superuser.queryForList("select 1 from backup.backup where command_id = ? and upload_id is not null",
                        run.id()).isEmpty()) {
                    assertThat(System.nanoTime()).as("the upload began").isLessThan(deadline);
                    Thread.sleep(100);
                }
                String key = superuser.queryForObject("select key from backup.backup where command_id = ?", String.class, run.id());

                // An upload nobody recorded (a process killed between starting it and saying so) goes at the next sweep.
                String stray = prefix + "stray-" + SUFFIX + ".sql.gz";
                s3.createMultipartUpload(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(stray));
                assertThat(awaitOpenUploads(prefix, keys -> !keys.contains(stray), Duration.ofSeconds(20)))
                        .as("the stray upload was aborted; the running backup's upload was left alone").containsExactly(key);

                // The store goes away mid-upload: the backup fails, and so does the abort of its upload.
                store.cut();
                Files.delete(gate);
                List<Envelope> events = awaitEnd(kafka, run);
                BackupFailed failed = Messages.BACKUP_FAILED.read(events.get(events.size() - 1));
                assertThat(failed.reason()).startsWith("the backup store failed: ");
                assertThat(openUploads(prefix)).as("the abort could not reach the store either").containsExactly(key);

                store.restore();
                assertThat(awaitOpenUploads(prefix, List::isEmpty, Duration.ofSeconds(30)))
                        .as("the failed backup's upload was aborted once the store answered").isEmpty();
            }
        } finally {
            Files.deleteIfExists(gate);
            backups.start();
        }
    }

    @Test
    void aVerificationWhileTheTargetsServerIsAwayWaitsForItRatherThanCallingTheBackupBad() throws Exception {
        Map<String, Object> overrides = new HashMap<>();
        backups.stop();
        try (TcpProxy server = TcpProxy.start(infrastructure.postgres().port())) {
            target(overrides, "tiny-away", "custom");
            overrides.put("wharf.backup.targets.tiny-away.database", TINY);
            overrides.put("wharf.backup.targets.tiny-away.port", Integer.toString(server.port()));
            overrides.put("wharf.consumer.retry-max-interval", "1s");
            try (ConfigurableApplicationContext service = SharedInfrastructure.startService(BackupApplication.class,
                    BackupApplication.SERVICE_NAME, "backup", overrides)) {
                BackupCompleted backup = backUp("tiny-away");

                server.cut(); // as PostgreSQL restarting: nothing answers on its port
                Envelope verify = kafka.send(Messages.VERIFY_BACKUP, "tiny-away", new VerifyBackup("tiny-away", backup.backupId()));
                assertThat(kafka.all(Topic.BACKUP_EVENTS.topicName(),
                        r -> verify.id().equals(KafkaTestClient.envelope(r).causationId()), Duration.ofSeconds(5)))
                        .as("no verdict while the server is away").isEmpty();

                server.restore();
                BackupVerified verdict = new Scenario.Sent(kafka, verify).answer(Messages.BACKUP_VERIFIED);
                assertThat(verdict.problem()).as("the backup is good: the server was only away").isNull();
                assertThat(verdict.rowCounts()).containsEntry("public.note", 10L);
            }
        } finally {
            backups.start();
        }
    }

    private static List<String> openUploads(String prefix) {
        return s3.listMultipartUploads(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(prefix)).uploads().stream()
                .map(MultipartUpload::key).toList();
    }

    /** The open uploads under {@code prefix} once {@code done} holds of their keys, or as they are at the deadline. */
    private static List<String> awaitOpenUploads(String prefix, Predicate<List<String>> done, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> keys = openUploads(prefix);
        while (!done.test(keys) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            keys = openUploads(prefix);
        }
        return keys;
    }

    @Test
    void theLatestBackupRestoresIntoANewDatabaseAndReplacesAnExistingOneOnlyWhenAsked() {
        BackupCompleted backup = backUp("shop");
        String into = "restored_latest_" + SUFFIX;
        RestoreCompleted restored = restore(new RestoreBackup("shop", null, into, false), Messages.RESTORE_COMPLETED);
        assertThat(restored.backupId()).isEqualTo(backup.backupId());
        assertThat(restored.rowCounts()).containsEntry("public.customer", 5000L).containsEntry("public.purchase", 300000L);
        for (String table : List.of("customer", "purchase")) {
            assertThat(checksum(shop(into), table)).as(table).isEqualTo(checksum(shop(DATABASE), table));
        }

        RestoreFailed exists = restore(new RestoreBackup("shop", backup.key(), into, false), Messages.RESTORE_FAILED);
        assertThat(exists.reason()).isEqualTo("database " + into + " exists: ask to drop and recreate it (--drop)");
        shop(into).execute("update customer set name = 'changed' where id <= 100");
        restore(new RestoreBackup("shop", backup.backupId(), into, true), Messages.RESTORE_COMPLETED);
        assertThat(checksum(shop(into), "customer")).isEqualTo(checksum(shop(DATABASE), "customer"));

        assertThat(restore(new RestoreBackup("shop", "no-such-backup", "x_" + SUFFIX, false), Messages.RESTORE_FAILED).reason()).isEqualTo("no completed backup of shop with id or key no-such-backup");
        assertThat(restore(new RestoreBackup("shop", null, "Bad-Name", false), Messages.RESTORE_FAILED).reason()).startsWith("database name 'Bad-Name' is not");
    }

    @Test
    void verificationRestoresIntoAScratchDatabaseAndFindsABackupWhoseBytesChanged() throws Exception {
        BackupCompleted backup = backUp("shop");
        Envelope verify = kafka.send(Messages.VERIFY_BACKUP, "shop", new VerifyBackup("shop", backup.backupId()));
        BackupVerified verified = new Scenario.Sent(kafka, verify).answer(Messages.BACKUP_VERIFIED);
        assertThat(verified.ok()).as(String.valueOf(verified.problem())).isTrue();
        assertThat(verified.rowCounts()).containsEntry("public.purchase", 300000L);
        JdbcTemplate catalog = backups.getBean(JdbcTemplate.class);
        assertThat(catalog.queryForObject("select verified_at is not null and verify_problem is null from backup where id = ?",
                Boolean.class, backup.backupId())).isTrue();
        assertThat(superuser.queryForObject("select count(*) from pg_database where datname like 'wharf_verify_%'", Integer.class))
                .as("the scratch database is gone").isZero();

        // The object changes behind the catalog's back: the verdict says what differs.
        s3.putObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(backup.key()),
                RequestBody.fromString("not a dump"));
        Envelope again = kafka.send(Messages.VERIFY_BACKUP, "shop", new VerifyBackup("shop", backup.key()));
        BackupVerified tampered = new Scenario.Sent(kafka, again).answer(Messages.BACKUP_VERIFIED);
        assertThat(tampered.ok()).isFalse();
        assertThat(tampered.problem()).startsWith("the backup's bytes differ from the catalog: sha256");
    }

    @Test
    void pruningKeepsTheRetainedBackupsAndADryRunDeletesNothing() {
        List<BackupCompleted> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(backUp("tiny"));
        }
        assertThat(made).extracting(BackupCompleted::key).doesNotHaveDuplicates();
        Envelope dry = kafka.send(Messages.PRUNE_BACKUPS, "tiny", new PruneBackups("tiny", true));
        BackupPruned wouldGo = new Scenario.Sent(kafka, dry).answer(Messages.BACKUP_PRUNED);
        assertThat(wouldGo.dryRun()).isTrue();
        assertThat(wouldGo.deleted()).containsExactly(made.get(0).key());
        assertThat(objectExists(made.get(0).key())).as("a dry run deletes nothing").isTrue();

        Envelope prune = kafka.send(Messages.PRUNE_BACKUPS, "tiny", new PruneBackups("tiny", false));
        BackupPruned pruned = new Scenario.Sent(kafka, prune).answer(Messages.BACKUP_PRUNED);
        assertThat(pruned.deleted()).containsExactly(made.get(0).key());
        assertThat(pruned.kept()).isEqualTo(2);
        assertThat(objectExists(made.get(0).key())).isFalse();
        assertThat(objectExists(made.get(1).key())).isTrue();
        assertThat(objectExists(made.get(2).key())).isTrue();
        JdbcTemplate catalog = backups.getBean(JdbcTemplate.class);
        assertThat(catalog.queryForObject("select status from backup where id = ?", String.class, made.get(0).backupId()))
                .isEqualTo("pruned");
    }

    @Test
    void zstdBackupsOfBothFormatsRestoreToIdenticalTables() throws Exception {
        BackupCompleted custom = backUp("shop-zstd");
        assertThat(custom.key()).matches("backup/shop-zstd/shop-zstd-\\d{14}\\.dump\\.zst");
        BackupCompleted plain = backUp("tiny-zstd-plain");
        assertThat(plain.key()).endsWith(".sql.zst");
        for (BackupCompleted backup : List.of(custom, plain)) {
            try (InputStream in = s3.getObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(backup.key()))) {
                assertThat(HexFormat.of().formatHex(in.readNBytes(4))).as("zstd's magic number").isEqualTo("28b52ffd");
            }
        }
        String into = "restored_zstd_" + SUFFIX;
        RestoreCompleted restored = restore(new RestoreBackup("shop-zstd", null, into, false), Messages.RESTORE_COMPLETED);
        assertThat(restored.rowCounts()).containsEntry("public.purchase", 300000L);
        for (String table : List.of("customer", "purchase")) {
            assertThat(checksum(shop(into), table)).as(table).isEqualTo(checksum(shop(DATABASE), table));
        }
        String tinyInto = "restored_tiny_zstd_" + SUFFIX;
        restore(new RestoreBackup("tiny-zstd-plain", null, tinyInto, false), Messages.RESTORE_COMPLETED);
        assertThat(checksum(shop(tinyInto), "note")).isEqualTo(checksum(shop(TINY), "note"));
    }

    @Test
    void aRunningBackupReportsProgressAndARestoreOfItsTargetIsRefusedMeanwhile() throws Exception {
        Path gate = Path.of(gateFile(work));
        Files.writeString(gate, "closed");
        Envelope run = kafka.send(Messages.RUN_BACKUP, "shop-gated", new RunBackup("shop-gated"));
        Envelope restore;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (superuser.queryForList("select 1 from backup.backup where command_id = ? and upload_id is not null",
                    run.id()).isEmpty()) {
                assertThat(System.nanoTime()).as("the upload began").isLessThan(deadline);
                Thread.sleep(100);
            }
            // A restore of the target travels under the target's key (any other is refused), so it
            // waits behind the running backup in their partition: it neither meets it nor runs meanwhile.
            String into = "x_gated_" + SUFFIX;
            restore = kafka.send(Messages.RESTORE_BACKUP, "shop-gated", new RestoreBackup("shop-gated", null, into, false));
            Envelope sent = restore;
            assertThat(kafka.all(Topic.BACKUP_EVENTS.topicName(),
                    r -> sent.id().equals(KafkaTestClient.envelope(r).causationId()), Duration.ofSeconds(3)))
                    .as("no answer while the backup runs").isEmpty();
            assertThat(superuser.queryForObject("select count(*) from pg_database where datname = ?", Integer.class, into))
                    .isZero();
        } finally {
            Files.deleteIfExists(gate);
        }
        new Scenario.Sent(kafka, restore).answer(Messages.RESTORE_COMPLETED);
        List<Envelope> events = awaitEnd(kafka, run);
        Envelope last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(Messages.BACKUP_COMPLETED.type());
        BackupCompleted completed = Messages.BACKUP_COMPLETED.read(last);
        assertThat(completed.tool()).as("the version of the target's own pg_dump").startsWith("pg_dump (PostgreSQL) 15");
        List<BackupProgress> progress = events.stream().filter(e -> Messages.BACKUP_PROGRESS.is(e))
                .map(Messages.BACKUP_PROGRESS::read).toList();
        assertThat(progress).as("progress while the backup ran").isNotEmpty();
        assertThat(progress).allSatisfy(p -> {
            assertThat(p.backupId()).isEqualTo(completed.backupId());
            assertThat(p.bytes()).isPositive().isLessThanOrEqualTo(completed.size());
        });
        assertThat(progress).extracting(BackupProgress::bytes).isSorted();
    }

    @Test
    void aPinnedBackupOutlivesRetentionUntilItIsUnpinned() {
        List<BackupCompleted> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(backUp("tiny-pinned"));
        }
        Envelope pin = kafka.send(Messages.PIN_BACKUP, "tiny-pinned", new PinBackup("tiny-pinned", made.get(0).key(), null));
        BackupPinned pinned = new Scenario.Sent(kafka, pin).answer(Messages.BACKUP_PINNED);
        assertThat(pinned.pinned()).isTrue();
        assertThat(pinned.backupId()).isEqualTo(made.get(0).backupId());

        BackupPruned pruned = prune("tiny-pinned");
        assertThat(pruned.deleted()).containsExactly(made.get(1).key()); // keep-last 1, and the pinned one
        assertThat(objectExists(made.get(0).key())).isTrue();

        Envelope unpin = kafka.send(Messages.PIN_BACKUP, "tiny-pinned", new PinBackup("tiny-pinned", made.get(0).backupId(), true));
        assertThat(new Scenario.Sent(kafka, unpin).answer(Messages.BACKUP_PINNED).pinned()).isFalse();
        assertThat(prune("tiny-pinned").deleted()).containsExactly(made.get(0).key());
        assertThat(objectExists(made.get(0).key())).isFalse();

        Envelope unknown = kafka.send(Messages.PIN_BACKUP, "tiny-pinned", new PinBackup("tiny-pinned", "no-such-backup", null));
        CommandRejected rejected = new Scenario.Sent(kafka, unknown).answer(Messages.BACKUP_COMMAND_REJECTED);
        assertThat(rejected.reason()).isEqualTo("no completed backup of tiny-pinned with id or key no-such-backup");
    }

    @Test
    void pruningReadsTheWholeListingAndDeletesInBatches() throws Exception {
        // 1,005 completed backups in the catalog with their objects, and 3 objects the catalog does not
        // know: more than one page of listing (1,000) and more than one delete request (1,000 keys).
        int count = 1005;
        JdbcTemplate catalog = backups.getBean(JdbcTemplate.class);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(String.format("backup/many/many-%05d.dump", i));
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {"many-" + i + "-" + SUFFIX, "many-cmd-" + i + "-" + SUFFIX, keys.get(i),
                    Timestamp.from(base.plusSeconds(i))});
        }
        catalog.batchUpdate("insert into backup (id, target, command_id, bucket, key, status, size, sha256, started_at) "
                + "values (?, 'many', ?, '" + LocalInfrastructure.BACKUPS_BUCKET + "', ?, 'completed', 1, 'x', ?)", rows);
        List<String> strays = List.of("backup/many/by-hand-1.sql", "backup/many/by-hand-2.sql", "backup/many/old-cron.gz");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : concat(keys, strays)) {
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(key),
                        RequestBody.fromString("x"))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }

        BackupPruned pruned = prune("many");
        assertThat(pruned.deleted()).hasSize(count - 2).containsAll(keys.subList(0, count - 2));
        assertThat(pruned.kept()).isEqualTo(2);
        assertThat(pruned.strays()).isEqualTo(3);
        List<String> left = s3.listObjectsV2Paginator(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix("backup/many/"))
                .contents().stream().map(S3Object::key).sorted().toList();
        assertThat(left).containsExactlyElementsOf(concat(strays, keys.subList(count - 2, count)).stream().sorted().toList());
        assertThat(catalog.queryForObject("select count(*) from backup where target = 'many' and status = 'pruned'", Integer.class))
                .isEqualTo(count - 2);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static BackupPruned prune(String target) {
        Envelope prune = kafka.send(Messages.PRUNE_BACKUPS, target, new PruneBackups(target, false));
        return new Scenario.Sent(kafka, prune).answer(Messages.BACKUP_PRUNED);
    }

    private static boolean objectExists(String key) {
        return !s3.listObjectsV2(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).prefix(key)).contents().isEmpty();
    }

    @Test
    void anotherServiceWaitsForTheBackupOfItsOwnCorrelation() {
        // As a deploy before it migrates: its RunBackup carries the deploy's correlation id.
        String correlation = "deploy-" + UUID.randomUUID();
        Envelope run = Envelope.first("deploy-service", Messages.RUN_BACKUP.type(), "tiny", "deploy-service", correlation,
                Messages.RUN_BACKUP.write(new RunBackup("tiny")));
        kafka.send(Messages.RUN_BACKUP.topic().topicName(), "tiny", run);
        List<Envelope> events = awaitEnd(kafka, run);
        assertThat(events).extracting(Envelope::correlationId).containsOnly(correlation);
        assertThat(events).extracting(Envelope::type).contains(Messages.BACKUP_STARTED.type(), Messages.BACKUP_COMPLETED.type());
        assertThat(events.get(events.size() - 1).causationId()).isEqualTo(run.id());
    }

    @Test
    void anUnknownTargetIsAnsweredWithTheKnownOnes() {
        Envelope run = kafka.send(Messages.RUN_BACKUP, "nope", new RunBackup("nope"));
        List<Envelope> events = awaitEnd(kafka, run);
        BackupFailed failed = Messages.BACKUP_FAILED.read(events.get(events.size() - 1));
        assertThat(failed.reason()).isEqualTo("no backup target named nope (known: locked, many, shop, shop-dying, shop-gated, shop-plain, "
                + "shop-slow, shop-zstd, tiny, tiny-pinned, tiny-zstd-plain)");
    }

    private static BackupCompleted backUp(String target) {
        List<Envelope> events = awaitEnd(kafka, kafka.send(Messages.RUN_BACKUP, target, new RunBackup(target)));
        return Messages.BACKUP_COMPLETED.read(events.get(events.size() - 1));
    }

    private static <T> T restore(RestoreBackup request, MessageType<T> answer) {
        return scenario.send(Messages.RESTORE_BACKUP, request.target(), request).answer(answer);
    }



    private static JdbcTemplate shop(String database) {
        return new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + infrastructure.postgres().port()
                + "/" + database, "postgres", ""));
    }

    private static String checksum(JdbcTemplate db, String table) {
        return db.queryForObject("select count(*) || ':' || md5(string_agg(t::text, ',' order by t.id)) from " + table + " t",
                String.class);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
