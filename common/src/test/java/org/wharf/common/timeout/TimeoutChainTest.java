package org.wharf.common.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class TimeoutChainTest {

    private static final TimeoutLink LOCK_WAIT = new TimeoutLink("pg_dump lock wait", "backup-service", "PostgreSQL", 0,
            Duration.ofHours(1));
    private static final TimeoutLink S3 = new TimeoutLink("S3", "backup-service", "S3", 2, Duration.ofMinutes(10));

    @Test
    void aLinkTotalsItsAttemptsAndBackoffs() {
        assertThat(S3.total()).isEqualTo(Duration.ofMinutes(30));
        assertThat(new TimeoutLink("S3", "a", "b", 2, Duration.ofMinutes(10), Duration.ofSeconds(30)).total())
                .isEqualTo(Duration.ofMinutes(31));
        assertThat(S3.describe()).isEqualTo("S3 3 attempts × 10m = 30m");
    }

    @Test
    void aChainWhoseOuterTimeoutExceedsItsInnerSumHolds() {
        TimeoutChain chain = new TimeoutChain("backup.run-backup", "backup-service", "pg_dump, S3", "deadline",
                Duration.ofHours(6), List.of(LOCK_WAIT, S3));
        assertThat(chain.innerTotal()).isEqualTo(Duration.ofMinutes(90));
        assertThat(chain.holds()).isTrue();
        chain.check();
    }

    @Test
    void aChainThatDoesNotHoldFailsWithItsOneLine() {
        TimeoutChain chain = new TimeoutChain("backup.run-backup", "backup-service", "pg_dump, S3", "deadline",
                Duration.ofHours(1), List.of(LOCK_WAIT, S3));
        assertThat(chain.holds()).isFalse();
        assertThatThrownBy(chain::check).isInstanceOf(TimeoutChain.TimeoutChainException.class)
                .hasMessage("timeout chain backup.run-backup: deadline 1h must exceed pg_dump lock wait 1h"
                        + " + S3 3 attempts × 10m = 30m (= 1h30m)");
        TimeoutChain equal = new TimeoutChain("x", "a", "b", "deadline", Duration.ofMinutes(90), List.of(LOCK_WAIT, S3));
        assertThat(equal.holds()).as("equal is not greater").isFalse();
    }

    @Test
    void durationsReadAsConfigured() {
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(300_000))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofDays(1).plusSeconds(1))).isEqualTo("24h1s");
    }
}
