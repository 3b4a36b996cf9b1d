package org.wharf.common.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The backup-service's chains as its configuration implies them: pg_dump's lock wait and the S3 client's attempts. */
class BackupChainsTest {

    private static Binder binder(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties));
    }

    private static TimeoutChain chain(List<TimeoutChain> chains, String id) {
        return chains.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theDefaultsGiveABackupsDeadlineItsLockWaitAndS3Attempts() {
        List<TimeoutChain> chains = PlatformChains.backup(binder(Map.of()));
        assertThat(chains).extracting(TimeoutChain::id).containsExactly("backup-service.run-backup",
                "backup-service.verify-backup", "backup-service.restore-backup");
        TimeoutChain run = chain(chains, "backup-service.run-backup");
        assertThat(run.holds()).isTrue();
        assertThat(run.line()).isEqualTo("timeout chain backup-service.run-backup: backup.run-backup deadline 2h must exceed "
                + "pg_dump lock wait 10m + S3 3 attempts × 2m + 2 × 20s backoff = 6m40s (= 16m40s)");
        assertThat(chain(chains, "backup-service.restore-backup").line()).isEqualTo("timeout chain backup-service.restore-backup: "
                + "backup.restore-backup deadline 1h must exceed S3 3 attempts × 2m + 2 × 20s backoff = 6m40s");
    }

    @Test
    void theLongestLockWaitOfAPostgresTargetCountsAndDirectoriesDoNot() {
        TimeoutLink lockWait = PlatformChains.pgDumpLockWait(binder(Map.of(
                "wharf.backup.lock-wait", "5m",
                "wharf.backup.targets.shop.database", "shop",
                "wharf.backup.targets.shop.retention.keep-last", "3",
                "wharf.backup.targets.crm.lock-wait", "20m",
                "wharf.backup.targets.files.type", "directory",
                "wharf.backup.targets.files.lock-wait", "3h")));
        assertThat(lockWait.timeout()).hasMinutes(20);
        assertThat(lockWait.target()).isEqualTo("PostgreSQL (crm)");
    }

    @Test
    void aDeadlineShorterThanTheLockWaitAndTheS3AttemptsDoesNotHoldAndSaysItsNumbers() {
        Binder binder = binder(Map.of(
                "spring.kafka.consumer.properties[max.poll.interval.ms]", "43200000",
                "wharf.deadlines[backup.run-backup]", "30m",
                "wharf.backup.lock-wait", "20m",
                "wharf.s3.attempt-timeout", "3m",
                "wharf.s3.max-attempts", "4"));
        assertThatThrownBy(() -> PlatformChains.check("backup-service", binder))
                .isInstanceOf(TimeoutChain.TimeoutChainException.class)
                .hasMessage("timeout chain backup-service.run-backup: backup.run-backup deadline 30m must exceed "
                        + "pg_dump lock wait 20m + S3 4 attempts × 3m + 3 × 20s backoff = 13m (= 33m)");
        assertThat(PlatformChains.check("loader-service", binder).chains()).extracting(TimeoutChain::id)
                .containsExactly("loader-service.consumer");
    }

    @Test
    void aLockWaitOfZeroWhichPgDumpReadsAsForeverIsRefused() {
        assertThatThrownBy(() -> PlatformChains.pgDumpLockWait(binder(Map.of("wharf.backup.targets.shop.lock-wait", "0s"))))
                .hasMessage("wharf.backup.targets.shop.lock-wait must be at least 1ms (pg_dump would wait for a lock forever)");
    }

    @Test
    void anS3ClientWithoutAttemptsIsRefused() {
        assertThatThrownBy(() -> PlatformChains.s3("backup-service", binder(Map.of("wharf.s3.max-attempts", "0"))))
                .hasMessage("wharf.s3.max-attempts must be at least 1 (the first attempt counts)");
    }
}
