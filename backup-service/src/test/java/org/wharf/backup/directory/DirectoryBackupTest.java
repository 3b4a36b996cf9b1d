package org.wharf.backup.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.backup.BackupEvents.awaitEnd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.backup.BackupApplication;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
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
 * Directory targets through Kafka, against a real S3 server: a tree (nested and empty directories, long
 * and non-ASCII names, modes, times, symbolic links, files of several parts) backs up as a tar and
 * restores byte-identical, gzip or zstd; restores replace only when asked and never half-write;
 * a hostile tar is refused without writing anything; a tampered object fails verification.
 */
class DirectoryBackupTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static final Scenario scenario = new Scenario(kafka);

    @TempDir
    static Path work;

    private static Path files;
    private static ConfigurableApplicationContext backups;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        files = work.resolve("files");
        Files.createDirectories(files.resolve("data/deep/deeper"));
        Files.createDirectories(files.resolve("empty"));
        Random random = new Random(42);
        byte[] large = new byte[13 * 1024 * 1024 + 17]; // three parts of 5 MiB, uncompressible
        random.nextBytes(large);
        Files.write(files.resolve("data/large.bin"), large);
        Files.writeString(files.resolve("data/deep/deeper/notes.txt"), "hello\n".repeat(1000));
        Files.write(files.resolve("zero-length"), new byte[0]);
        Files.writeString(files.resolve("data/" + "long-name-".repeat(15) + ".txt"), "a name over 100 bytes");
        Files.writeString(files.resolve("données-é.txt"), "not ASCII");
        Path script = files.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(files.resolve("zero-length"), PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(files.resolve("data/deep/deeper/notes.txt"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        Files.createSymbolicLink(files.resolve("link-to-notes"), Path.of("data/deep/deeper/notes.txt"));
        Files.createSymbolicLink(files.resolve("dangling"), Path.of("/nowhere/at/all"));

        Map<String, Object> properties = new HashMap<>();
        directoryTarget(properties, "files", files, "gzip");
        directoryTarget(properties, "files-zstd", files, "zstd");
        directoryTarget(properties, "missing", work.resolve("not-there"), "gzip");
        directoryTarget(properties, "hostile", work.resolve("hostile-source"), "none");
        properties.put("wharf.backup.part-size", Integer.toString(5 * 1024 * 1024));
        backups = SharedInfrastructure.startService(BackupApplication.class, BackupApplication.SERVICE_NAME, "backup", properties);
        s3 = S3Clients.create(infrastructure.s3());
    }

    private static void directoryTarget(Map<String, Object> properties, String name, Path path, String compression) {
        properties.put("wharf.backup.targets." + name + ".type", "directory");
        properties.put("wharf.backup.targets." + name + ".path", path.toString());
        properties.put("wharf.backup.targets." + name + ".compression", compression);
    }

    @AfterAll
    static void stop() {
        if (backups != null) {
            backups.close();
        }
        s3.close();
    }

    @Test
    void aDirectoryRestoresByteIdenticalWithGzipAndWithZstd() throws Exception {
        for (String target : List.of("files", "files-zstd")) {
            BackupCompleted backup = backUp(target);
            assertThat(backup.key()).matches("backup/" + target + "/" + target + "-\\d{14}\\.tar\\." + (target.equals("files") ? "gz" : "zst"));
            Path into = work.resolve("restored-" + target);
            RestoreCompleted restored = scenario.send(Messages.RESTORE_BACKUP, target,
                    new RestoreBackup(target, null, into.toString(), false)).answer(Messages.RESTORE_COMPLETED);
            assertThat(describe(into)).isEqualTo(describe(files));
            assertThat(restored.rowCounts()).containsEntry("files", 6L).containsEntry("symlinks", 2L)
                    .containsEntry("directories", 4L).containsEntry("bytes", sizeOfFiles(files));
            try (Stream<Path> siblings = Files.list(work)) {
                assertThat(siblings.map(p -> p.getFileName().toString())).as("no staging directory left")
                        .noneMatch(name -> name.contains(".wharf-"));
            }

            BackupVerified verified = scenario.send(Messages.VERIFY_BACKUP, target,
                    new VerifyBackup(target, null)).answer(Messages.BACKUP_VERIFIED);
            assertThat(verified.ok()).as(String.valueOf(verified.problem())).isTrue();
            assertThat(verified.rowCounts()).isEqualTo(restored.rowCounts());
        }
    }

    @Test
    void anExistingDirectoryIsReplacedOnlyWhenAsked() throws Exception {
        backUp("files");
        Path into = work.resolve("replace-me");
        Files.createDirectories(into);
        Files.writeString(into.resolve("keep.txt"), "mine");
        RestoreFailed refused = scenario.send(Messages.RESTORE_BACKUP, "files",
                new RestoreBackup("files", null, into.toString(), false)).answer(Messages.RESTORE_FAILED);
        assertThat(refused.reason()).isEqualTo("directory " + into + " exists: ask to replace it (--drop)");
        assertThat(Files.readString(into.resolve("keep.txt"))).isEqualTo("mine");

        scenario.send(Messages.RESTORE_BACKUP, "files",
                new RestoreBackup("files", null, into.toString(), true)).answer(Messages.RESTORE_COMPLETED);
        assertThat(describe(into)).isEqualTo(describe(files));

        RestoreFailed relative = scenario.send(Messages.RESTORE_BACKUP, "files",
                new RestoreBackup("files", null, "relative/path", false)).answer(Messages.RESTORE_FAILED);
        assertThat(relative.reason()).isEqualTo("'relative/path' is not an absolute, normalised directory path below /");
        RestoreFailed elsewhere = scenario.send(Messages.RESTORE_BACKUP, "files",
                new RestoreBackup("files", null, "/etc/wharf-was-here", true)).answer(Messages.RESTORE_FAILED);
        assertThat(elsewhere.reason()).isEqualTo("/etc/wharf-was-here is not below the target's restore root " + work + " (restore-root)");
        assertThat(Path.of("/etc/wharf-was-here")).doesNotExist();

        // A path below the root by its name, outside it by its links: refused, and --drop deletes nothing there.
        Path outside = Files.createTempDirectory("wharf-outside-");
        Files.writeString(outside.resolve("inner-file"), "not wharf's");
        Files.createDirectories(outside.resolve("inner"));
        Files.writeString(outside.resolve("inner/keep.txt"), "not wharf's either");
        Path escape = work.resolve("escape");
        Files.createSymbolicLink(escape, outside);
        RestoreFailed linked = scenario.send(Messages.RESTORE_BACKUP, "files",
                new RestoreBackup("files", null, escape.resolve("inner").toString(), true)).answer(Messages.RESTORE_FAILED);
        assertThat(linked.reason()).isEqualTo(escape.resolve("inner") + " (really " + outside.toRealPath().resolve("inner")
                + ") is not below the target's restore root " + work.toRealPath() + " (restore-root)");
        assertThat(Files.readString(outside.resolve("inner/keep.txt"))).isEqualTo("not wharf's either");
        RestoreFailed link = scenario.send(Messages.RESTORE_BACKUP, "files",
                new RestoreBackup("files", null, escape.toString(), true)).answer(Messages.RESTORE_FAILED);
        assertThat(link.reason()).isEqualTo(escape + " is a symbolic link: a restore replaces a directory, never a link's target");
        assertThat(Files.readString(outside.resolve("inner-file"))).isEqualTo("not wharf's");
        assertThat(Files.isSymbolicLink(escape)).isTrue();
    }

    @Test
    void aMissingDirectoryFailsTheBackupWithTheReason() {
        List<Envelope> events = awaitEnd(kafka, kafka.send(Messages.RUN_BACKUP, "missing", new RunBackup("missing")));
        BackupFailed failed = Messages.BACKUP_FAILED.read(events.get(events.size() - 1));
        assertThat(failed.reason()).isEqualTo("the target's directory " + work.resolve("not-there") + " does not exist or is not a directory");
    }

    @Test
    void aHostileTarIsRefusedAndWritesNothing() throws Exception {
        // A tar that climbs out of its directory, and one that writes through a link it made: put in the
        // bucket and the catalog as if they were backups, with the right sha256.
        for (String name : List.of("climbs", "through-link", "link-through-link")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                if (name.equals("climbs")) {
                    file(tar, "fine.txt", "fine");
                    file(tar, "../escaped.txt", "outside");
                } else if (name.equals("link-through-link")) {
                    // A link made through an earlier link: a -> victim, then a/b -> / would be victim/b -> /.
                    TarArchiveEntry first = new TarArchiveEntry("a", TarConstants.LF_SYMLINK);
                    first.setLinkName(work.resolve("victim").toString());
                    tar.putArchiveEntry(first);
                    tar.closeArchiveEntry();
                    TarArchiveEntry second = new TarArchiveEntry("a/b", TarConstants.LF_SYMLINK);
                    second.setLinkName("/");
                    tar.putArchiveEntry(second);
                    tar.closeArchiveEntry();
                } else {
                    TarArchiveEntry link = new TarArchiveEntry("etc", TarConstants.LF_SYMLINK);
                    link.setLinkName(work.resolve("victim").toString());
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                    file(tar, "etc/passwd", "owned");
                }
            }
            String key = "backup/hostile/hostile-" + name + ".tar";
            s3.putObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(key), RequestBody.fromBytes(bytes.toByteArray()));
            String id = UUID.randomUUID().toString();
            backups.getBean(JdbcTemplate.class).update("insert into backup (id, target, command_id, bucket, key, status, size, sha256, "
                    + "started_at) values (?, 'hostile', ?, ?, ?, 'completed', ?, ?, now())", id, "cmd-" + id,
                    LocalInfrastructure.BACKUPS_BUCKET, key, bytes.size(), sha256(bytes.toByteArray()));
            Files.createDirectories(work.resolve("victim"));
            Path into = work.resolve("hostile-into-" + name);
            RestoreFailed refused = scenario.send(Messages.RESTORE_BACKUP, "hostile",
                    new RestoreBackup("hostile", id, into.toString(), false)).answer(Messages.RESTORE_FAILED);
            assertThat(refused.reason()).startsWith("the backup does not restore: ");
            assertThat(into).doesNotExist();
            assertThat(work.resolve("escaped.txt")).doesNotExist();
            assertThat(work.resolve("victim/passwd")).doesNotExist();
            assertThat(work.resolve("victim/b")).doesNotExist();
            try (Stream<Path> victim = Files.list(work.resolve("victim"))) {
                assertThat(victim).as("nothing written through a link").isEmpty();
            }
            if (name.equals("link-through-link")) {
                assertThat(refused.reason()).endsWith("the tar holds a/b, below its symlink a: it would be written through the link");
                BackupVerified verdict = scenario.send(Messages.VERIFY_BACKUP, "hostile",
                        new VerifyBackup("hostile", id)).answer(Messages.BACKUP_VERIFIED);
                assertThat(verdict.problem()).endsWith("the tar holds a/b, below its symlink a: it would be written through the link");
            }
            if (name.equals("climbs")) {
                assertThat(refused.reason()).endsWith("the tar holds an entry outside its directory: ../escaped.txt");
            }
        }
    }

    @Test
    void aTamperedObjectFailsVerification() {
        BackupCompleted backup = backUp("files-zstd");
        s3.putObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key(backup.key()), RequestBody.fromString("not a tar"));
        BackupVerified verdict = scenario.send(Messages.VERIFY_BACKUP, "files-zstd",
                new VerifyBackup("files-zstd", backup.backupId())).answer(Messages.BACKUP_VERIFIED);
        assertThat(verdict.ok()).isFalse();
        assertThat(verdict.problem()).startsWith("the backup's bytes differ from the catalog");
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** Every path under {@code root}: its type, mode, modification time (files) and content's sha256 or link. */
    private static Map<String, String> describe(Path root) throws Exception {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    tree.put(name, "link " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    tree.put(name, "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
                } else {
                    tree.put(name, "file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS))
                            + " " + Files.getLastModifiedTime(path).toInstant().getEpochSecond() + " " + sha256(Files.readAllBytes(path)));
                }
            }
        }
        return tree;
    }

    private static long sizeOfFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static BackupCompleted backUp(String target) {
        List<Envelope> events = awaitEnd(kafka, kafka.send(Messages.RUN_BACKUP, target, new RunBackup(target)));
        Envelope last = events.get(events.size() - 1);
        assertThat(last.type()).as(new String(last.data(), StandardCharsets.UTF_8)).isEqualTo(Messages.BACKUP_COMPLETED.type());
        return Messages.BACKUP_COMPLETED.read(last);
    }


}
