package org.wharf.common.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandDeadlinesTest {

    @Test
    void aTypesDeadlineIsItsOverrideElseTheOverallOneElseTheBuiltInOne() {
        CommandDeadlines builtIn = CommandDeadlines.builtIn();
        assertThat(builtIn.of(Messages.RUN_BACKUP.type())).isEqualTo(Duration.ofHours(2));
        assertThat(builtIn.of(Messages.PIN_BACKUP.type())).isEqualTo(Duration.ofHours(1));

        CommandDeadlines configured = new CommandDeadlines(Map.of("backup.run-backup", Duration.ofMinutes(30),
                "default", Duration.ofMinutes(5)));
        assertThat(configured.of(Messages.RUN_BACKUP.type())).isEqualTo(Duration.ofMinutes(30));
        assertThat(configured.of(Messages.VERIFY_BACKUP.type())).isEqualTo(Duration.ofMinutes(5));
        assertThat(configured.deadline(Messages.RUN_BACKUP.type(), Instant.EPOCH)).isEqualTo(Instant.EPOCH.plusSeconds(1800));
    }

    @Test
    void namesAreDomainAndNameOfTheType() {
        assertThat(CommandDeadlines.nameOf("org.wharf.backup.run-backup.v1")).isEqualTo("backup.run-backup");
        assertThat(CommandDeadlines.nameOf("com.example.other.v1")).isNull();
    }

    @Test
    void aDeadlineThatIsNotPositiveStopsTheService() {
        assertThatThrownBy(() -> new CommandDeadlines(Map.of("backup.run-backup", Duration.ZERO)))
                .hasMessage("wharf.deadlines.backup.run-backup must be a positive duration");
    }
}
