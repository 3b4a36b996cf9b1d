package org.wharf.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;

import tools.jackson.databind.JsonNode;

/** What list and show print, from a book fed by hand; next times are computed at a fixed now. */
class ScheduleOutputTest {

    static final Instant NOW = Instant.parse("2025-10-27T12:00:00Z");

    ScheduleBook book() {
        return ScheduleBook.of(List.of(
                ScheduleBookTest.envelope(Messages.SCHEDULE_CREATED, "nightly", ScheduleBookTest.schedule("nightly", "0 2 * * *", false, 20)),
                ScheduleBookTest.envelope(Messages.SCHEDULE_CREATED, "held", ScheduleBookTest.schedule("held", "@hourly", true, 20)),
                ScheduleBookTest.fired("nightly", "2025-10-27T01:00:00Z"),
                ScheduleBookTest.missed("held", "2025-10-27T10:00:00Z", "skipped after downtime")));
    }

    @Test
    void listShowsTheNextTimeInTheScheduleZoneAndPausedOnesAsPaused() {
        List<ListSchedules.Listed> listed = ListSchedules.listed(book().entries(), NOW);
        assertThat(listed).extracting(l -> l.schedule().name()).containsExactly("held", "nightly");
        assertThat(listed.get(0).next()).isNull();
        assertThat(listed.get(1).next()).isEqualTo("2025-10-28T02:00:00+01:00");

        List<String> table = ListSchedules.table(listed);
        assertThat(table).hasSize(3);
        assertThat(table.get(0)).startsWith("NAME     EXPRESSION  ZONE          NEXT                       COMMAND");
        assertThat(table.get(1)).startsWith("held     @hourly     Europe/Paris  paused                     org.wharf.backup.run-backup.v1 db")
                .endsWith("2025-10-27T11:00:00+01:00 missed: skipped after downtime");
        assertThat(table.get(2)).startsWith("nightly  0 2 * * *   Europe/Paris  2025-10-28T02:00:00+01:00")
                .endsWith("2025-10-27T02:00:00+01:00 fired");
        int commandColumn = table.get(0).indexOf("COMMAND");
        assertThat(table.get(2).indexOf("org.wharf.backup")).isEqualTo(commandColumn);
    }

    @Test
    void showGivesEveryFieldTheNextFiveTimesWithZoneAndTheHistory() {
        ShowSchedule.Details details = ShowSchedule.details(book().find("nightly").orElseThrow(), NOW);
        assertThat(details.next()).containsExactly("2025-10-28T02:00:00+01:00[Europe/Paris]",
                "2025-10-29T02:00:00+01:00[Europe/Paris]", "2025-10-30T02:00:00+01:00[Europe/Paris]",
                "2025-10-31T02:00:00+01:00[Europe/Paris]", "2025-11-01T02:00:00+01:00[Europe/Paris]");
        List<String> lines = ShowSchedule.lines(details);
        assertThat(lines.get(0)).isEqualTo("schedule nightly");
        assertThat(lines).contains("  expression:        0 2 * * *", "  zone:              Europe/Paris",
                "  command:           org.wharf.backup.run-backup.v1 key db on wharf.backup.commands",
                "  payload:           {\"target\":\"db\"}", "  missed runs:       fire-once",
                "  starting deadline: -", "  concurrency:       allow", "  job timeout:       -", "  history limit:     20",
                "    2025-10-28T02:00:00+01:00[Europe/Paris]",
                "    2025-10-27T02:00:00+01:00 fired at 2025-10-27T02:00:01+01:00");
    }

    @Test
    void aPausedScheduleSaysWhenItWouldFire() {
        List<String> lines = ShowSchedule.lines(ShowSchedule.details(book().find("held").orElseThrow(), NOW));
        assertThat(lines).contains("schedule held (paused)", "  next, once resumed:", "    2025-10-27T14:00:00+01:00[Europe/Paris]",
                "    2025-10-27T11:00:00+01:00 missed: skipped after downtime");
    }

    @Test
    void addConfirmsOnOneLineWithTheNextThreeTimes() {
        assertThat(AddSchedule.confirmation(ScheduleBookTest.schedule("nightly", "0 2 * * *", false, 20), false, NOW))
                .isEqualTo("schedule nightly created: '0 2 * * *' in Europe/Paris fires org.wharf.backup.run-backup.v1 db; next "
                        + "2025-10-28T02:00:00+01:00[Europe/Paris], 2025-10-29T02:00:00+01:00[Europe/Paris], "
                        + "2025-10-30T02:00:00+01:00[Europe/Paris]");
        assertThat(AddSchedule.confirmation(ScheduleBookTest.schedule("held", "@hourly", true, 20), true, NOW))
                .startsWith("schedule held updated, paused: '@hourly' in Europe/Paris fires org.wharf.backup.run-backup.v1 db; "
                        + "once resumed, next 2025-10-27T14:00:00+01:00[Europe/Paris], ");
    }

    @Test
    void theJsonDocumentsCarryTimesAsText() {
        JsonNode show = WharfJson.MAPPER.readTree(WharfJson.MAPPER.writeValueAsString(
                ShowSchedule.details(book().find("nightly").orElseThrow(), NOW)));
        assertThat(show.get("schedule").get("name").asString()).isEqualTo("nightly");
        assertThat(show.get("schedule").get("anchor").asString()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(show.get("next")).hasSize(5);
        assertThat(show.get("history").get(0).get("dueAt").asString()).isEqualTo("2025-10-27T01:00:00Z");

        JsonNode list = WharfJson.MAPPER.readTree(WharfJson.MAPPER.writeValueAsString(ListSchedules.listed(book().entries(), NOW)));
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(1).get("next").asString()).isEqualTo("2025-10-28T02:00:00+01:00");
        assertThat(list.get(1).get("last").get("outcome").asString()).isEqualTo("fired");
    }
}
