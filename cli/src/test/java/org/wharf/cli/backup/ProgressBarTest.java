package org.wharf.cli.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void withoutAPreviousBackupItShowsBytesRateAndTime() {
        assertThat(ProgressBar.line(50L * 1024 * 1024, 10_000, null)).isEqualTo("  50.0 MiB stored, 5.0 MiB/s, 10 s");
    }

    @Test
    void againstThePreviousBackupItDrawsABarThatStopsShortOfFull() {
        assertThat(ProgressBar.line(512L * 1024 * 1024, 4_000, 1024L * 1024 * 1024))
                .isEqualTo("  [###############               ]  50%  512.0 MiB stored, 128.0 MiB/s, 4 s (last backup: 1.0 GiB)");
        assertThat(ProgressBar.line(3L * 1024 * 1024 * 1024, 60_000, 1024L * 1024 * 1024))
                .as("larger than the last one: 99% until it has completed").contains("# ]  99%").doesNotContain("#".repeat(30));
    }

    @Test
    void sizesReadAsAnOperatorWouldWriteThem() {
        assertThat(ProgressBar.human(999)).isEqualTo("999 B");
        assertThat(ProgressBar.human(1536)).isEqualTo("1.5 KiB");
        assertThat(ProgressBar.human(5L * 1024 * 1024 * 1024 * 1024)).isEqualTo("5.0 TiB");
    }
}
