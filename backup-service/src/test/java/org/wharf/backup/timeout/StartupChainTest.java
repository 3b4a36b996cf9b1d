package org.wharf.backup.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.wharf.backup.BackupApplication;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.timeout.TimeoutChain;

/**
 * A backup-service whose backup deadline would end a backup before pg_dump's lock wait and one S3
 * request's attempts do does not start, and says which chain and its numbers.
 */
class StartupChainTest {

    @Test
    void aBackupDeadlineShorterThanATargetsLockWaitPlusTheS3AttemptsRefusesToStart() {
        Throwable failure = catchThrowable(() -> SharedInfrastructure.startService(BackupApplication.class,
                BackupApplication.SERVICE_NAME, "backup", Map.of(
                        "wharf.backup.targets.ledger.database", "ledger",
                        "wharf.backup.targets.ledger.user", "ledger_backup",
                        "wharf.backup.targets.ledger.lock-wait", "115m",
                        "wharf.s3.attempt-timeout", "3m")).close());
        Throwable cause = failure;
        while (cause != null && !(cause instanceof TimeoutChain.TimeoutChainException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("the start failed on the chain, not on something else: %s", failure).isNotNull();
        assertThat(cause.getMessage()).isEqualTo("timeout chain backup-service.run-backup: backup.run-backup deadline 2h "
                + "must exceed pg_dump lock wait 1h55m + S3 3 attempts × 3m + 2 × 20s backoff = 9m40s (= 2h4m40s)");
    }
}
