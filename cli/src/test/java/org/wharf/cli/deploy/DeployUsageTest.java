package org.wharf.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.support.CliRun;

/**
 * Mistakes found before the broker is touched: the environment names no broker, so a command that
 * tried to send would fail with "no Kafka broker known" instead of the reason asserted.
 */
class DeployUsageTest {

    @TempDir
    Path home;

    void assertUsageError(String reason, String... args) {
        CliRun run = CliRun.wharf(home, args);
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("wharf: " + reason + System.lineSeparator());
    }

    @Test
    void aBlankApplicationOrEnvironmentIsAUsageError() {
        assertUsageError("APP must not be blank", "deploy", "run", " ", "staging");
        assertUsageError("ENV must not be blank", "deploy", "status", "catalogue", "");
        assertUsageError("APP a/b must not contain '/' (the record key is APP/ENV)", "deploy", "releases", "a/b", "staging");
    }

    @Test
    void unlockNeedsAReason() {
        assertUsageError("--reason must say why the lock is released", "deploy", "unlock", "catalogue", "staging", "--reason", " ");
        CliRun missing = CliRun.wharf(home, "deploy", "unlock", "catalogue", "staging");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--reason=R'");
    }

    @Test
    void blankRefsServicesAndReleasesAreUsageErrors() {
        assertUsageError("--ref must not be blank (leave it out for the environment's ref)", "deploy", "run", "catalogue", "staging",
                "--ref", "");
        assertUsageError("--no-restart needs a service's name", "deploy", "run", "catalogue", "staging", "--no-restart", " ");
        assertUsageError("--to must name a release (leave it out for the previous good one)", "deploy", "rollback", "catalogue",
                "staging", "--to", "");
    }

    @Test
    void aTimeoutIsADurationAsOperatorsWriteIt() {
        CliRun wrong = CliRun.wharf(home, "deploy", "run", "catalogue", "staging", "--wait", "--timeout", "soon");
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).contains("'soon' is not a duration (try 90s, 10m, 1h or PT10M)");
        CliRun minutes = CliRun.wharf(home, "deploy", "run", "catalogue", "staging", "--wait", "--timeout", "3m");
        assertThat(minutes.err()).as("read, then stopped by the missing broker").doesNotContain("duration");
    }
}
