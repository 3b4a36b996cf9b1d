package org.wharf.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationOptionTest {

    private static final String OPTION = "--starting-deadline";

    @Test
    void shortFormsAndIsoAreSeconds() {
        assertThat(DurationOption.seconds(OPTION, "90s")).isEqualTo(90);
        assertThat(DurationOption.seconds(OPTION, "10m")).isEqualTo(600);
        assertThat(DurationOption.seconds(OPTION, "1h")).isEqualTo(3600);
        assertThat(DurationOption.seconds(OPTION, "7d")).isEqualTo(7 * 86400);
        assertThat(DurationOption.seconds(OPTION, "PT10M")).isEqualTo(600);
        assertThat(DurationOption.seconds(OPTION, "pt1h30m")).isEqualTo(5400);
    }

    @Test
    void anythingElseIsAUsageErrorNamingTheOption() {
        assertThatThrownBy(() -> DurationOption.seconds(OPTION, "10 minutes")).isInstanceOf(UsageException.class)
                .hasMessage("--starting-deadline 10 minutes: not a duration (try 90s, 10m, 1h or PT10M)");
        assertThatThrownBy(() -> DurationOption.seconds(OPTION, "10w")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> DurationOption.seconds(OPTION, "")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> DurationOption.seconds(OPTION, "0s")).isInstanceOf(UsageException.class)
                .hasMessage("--starting-deadline 0s: not a whole number of seconds, at least 1s");
        assertThatThrownBy(() -> DurationOption.seconds(OPTION, "PT0.5S")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> DurationOption.seconds("--job-timeout", "-PT1M")).isInstanceOf(UsageException.class)
                .hasMessage("--job-timeout -PT1M: not a whole number of seconds, at least 1s");
    }

    @Test
    void secondsAreWrittenInTheLargestWholeUnit() {
        assertThat(DurationOption.text(7200)).isEqualTo("2h");
        assertThat(DurationOption.text(5400)).isEqualTo("90m");
        assertThat(DurationOption.text(90)).isEqualTo("90s");
    }
}
