package org.wharf.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.support.CliRun;
import org.wharf.common.json.WharfJson;

import tools.jackson.databind.JsonNode;

/** {@code wharf config check}: the chains as the services' configuration implies them, and the exit status. */
class ConfigCheckTest {

    @TempDir
    Path home;

    CliRun wharf(String... args) {
        return CliRun.wharf(home, args);
    }

    @Test
    void theShippedConfigurationHoldsEveryChain() {
        CliRun run = wharf("config", "check");
        assertThat(run.status()).as(run.out()).isEqualTo(0);
        assertThat(run.out()).doesNotContain("FAILED").contains("loader-service.consumer").contains("backup-service.consumer")
                .contains("cli.backup.run-backup").contains("backup-service.run-backup").contains("backup-service.restore-backup");
        assertThat(run.out()).as("the backup's chain and its links").containsPattern(
                "backup-service.run-backup +backup-service +pg_dump, S3 store +- +2h +16m40s  OK")
                .containsPattern("  pg_dump lock wait +pg_dump +PostgreSQL \\(default\\) +0 +10m +10m")
                .containsPattern("  S3 +backup-service +S3 store +2 +2m +6m40s");
    }

    @Test
    void aLockWaitAndS3AttemptsLongerThanABackupsDeadlineBreakTheBackupChainAndExitOne() throws Exception {
        Path file = home.resolve("slow-store.yml");
        Files.writeString(file, """
                wharf:
                  backup:
                    lock-wait: 30m
                    targets:
                      ledger:
                        database: ledger
                        user: ledger_backup
                        lock-wait: 100m
                  s3:
                    attempt-timeout: 5m
                    max-attempts: 4
                """);
        CliRun run = wharf("config", "check", "--config", file.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED: timeout chain backup-service.run-backup: backup.run-backup deadline 2h "
                + "must exceed pg_dump lock wait 1h40m + S3 4 attempts × 5m + 3 × 20s backoff = 21m (= 2h1m)");
        assertThat(run.out()).containsPattern("  pg_dump lock wait +pg_dump +PostgreSQL \\(ledger\\) +0 +1h40m");
        assertThat(run.out()).as("a restore waits on S3 alone").containsPattern("backup-service.restore-backup .* OK");
    }

    @Test
    void aDeadlineLongerThanWhatWaitsForItBreaksItsChainsAndExitsOne() throws Exception {
        Path file = home.resolve("late.yml");
        Files.writeString(file, """
                wharf:
                  deadlines:
                    "[deposit.load]": 4h
                    "[backup.run-backup]": 4h
                """);
        CliRun run = wharf("config", "check", "--config", file.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED: timeout chain loader-service.consumer: "
                + "max.poll.interval.ms 3h must exceed deposit.load deadline 4h");
        assertThat(run.out()).contains("FAILED: timeout chain cli.backup.run-backup: --timeout default 3h must exceed "
                + "backup.run-backup deadline 4h");
    }

    @Test
    void aConfigurationWhereEveryChainHoldsExitsZero() throws Exception {
        Path file = home.resolve("wharf.yml");
        Files.writeString(file, """
                spring:
                  kafka:
                    consumer:
                      properties:
                        "[max.poll.interval.ms]": 7200000
                wharf:
                  deadlines:
                    "[deposit.load]": 30m
                    "[backup.run-backup]": 30m
                    "[backup.verify-backup]": 30m
                    "[backup.restore-backup]": 30m
                """);
        CliRun run = wharf("config", "check", "--config", file.toString());
        assertThat(run.status()).as(run.out()).isEqualTo(0);
        assertThat(run.out()).doesNotContain("FAILED").contains("backup-service.consumer").contains("OK");

        CliRun json = wharf("config", "check", "--config", file.toString(), "--json");
        assertThat(json.status()).isEqualTo(0);
        JsonNode document = WharfJson.MAPPER.readTree(json.out());
        assertThat(document.get("ok").asBoolean()).isTrue();
        assertThat(document.get("chains").get(0).get("id").asString()).isEqualTo("loader-service.consumer");
        assertThat(document.get("chains").get(0).get("inner").get(0).get("total").asString()).isEqualTo("30m");
    }

    @Test
    void everySubcommandAnswersHelpAsItsUsageErrorsSay() {
        CliRun check = wharf("config", "check", "--help");
        assertThat(check.status()).isEqualTo(0);
        assertThat(check.out()).startsWith("Usage: wharf config check");
        CliRun restore = wharf("backup", "restore", "--help"); // TARGET and --into are required, but not for help
        assertThat(restore.status()).isEqualTo(0);
        assertThat(restore.out()).startsWith("Usage: wharf backup restore").contains("--yes");
    }

    @Test
    void aMissingFileIsAUsageError() {
        CliRun run = wharf("config", "check", "--config", home.resolve("none.yml").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("wharf: --config " + home.resolve("none.yml") + ": no such readable file"
                + System.lineSeparator());
    }
}
