package org.wharf.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.wharf.cli.support.UsageException;

class StartingDeadlineTest {

    @Test
    void shortFormsAndIsoAreSeconds() {
        assertThat(StartingDeadline.seconds("90s")).isEqualTo(90);
        assertThat(StartingDeadline.seconds("10m")).isEqualTo(600);
        assertThat(StartingDeadline.seconds("1h")).isEqualTo(3600);
        assertThat(StartingDeadline.seconds("PT10M")).isEqualTo(600);
        assertThat(StartingDeadline.seconds("pt1h30m")).isEqualTo(5400);
    }

    @Test
    void anythingElseIsAUsageError() {
        assertThatThrownBy(() -> StartingDeadline.seconds("10 minutes")).isInstanceOf(UsageException.class)
                .hasMessage("--starting-deadline 10 minutes: not a duration (try 90s, 10m, 1h or PT10M)");
        assertThatThrownBy(() -> StartingDeadline.seconds("10d")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> StartingDeadline.seconds("")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> StartingDeadline.seconds("0s")).isInstanceOf(UsageException.class)
                .hasMessage("--starting-deadline 0s: not a whole number of seconds, at least 1s");
        assertThatThrownBy(() -> StartingDeadline.seconds("PT0.5S")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> StartingDeadline.seconds("-PT1M")).isInstanceOf(UsageException.class);
    }
}
