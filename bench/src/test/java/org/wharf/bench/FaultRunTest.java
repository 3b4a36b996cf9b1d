package org.wharf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault run's short version (bench/run-faults.sh runs the long one): a few minutes of deposits, backups,
 * deploys and schedules on {@code wharf local up --processes}, with replicas killed with -9 mid-dump, mid-upload
 * and mid-switch, the broker restarted, S3 away and PostgreSQL restarted, on a fixed seed;
 * every check of the platform's promises must pass.
 */
class FaultRunTest {

    @TempDir
    Path work;

    @Test
    void theWholePlatformKeepsItsPromisesThroughKillsAndOutages() throws Exception {
        FaultRun.Result result = FaultRun.run(work, FaultRun.Options.quick(42));

        assertThat(result.failures()).as(String.join("\n", result.report())).isEmpty();
        assertThat(result.counts().get("faults")).as("every planned fault was carried out").isEqualTo(6);
        assertThat(result.counts().get("deposits")).isGreaterThanOrEqualTo(100);
        assertThat(result.counts().get("backups")).as("the drive's and the mid-dump's").isEqualTo(3);
        assertThat(result.counts().get("deploys")).as("the drive's and the mid-switch's").isEqualTo(3);
    }
}
