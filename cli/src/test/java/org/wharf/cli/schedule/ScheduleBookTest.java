package org.wharf.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.message.schedule.ScheduleMissed;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.message.schedule.ScheduledCommand;

class ScheduleBookTest {

    static final Instant ANCHOR = Instant.parse("2025-01-01T00:00:00Z");

    static Schedule schedule(String name, String expression, boolean paused, int historyLimit) {
        ScheduledCommand command = new ScheduledCommand("wharf.backup.commands", CommandToFire.RUN_BACKUP, "db",
                WharfJson.MAPPER.createObjectNode().put("target", "db"));
        return new Schedule(name, expression, "Europe/Paris", command, "fire-once", null, "allow", paused, historyLimit,
                false, ANCHOR, null);
    }

    static <T> Envelope envelope(MessageType<T> type, String key, T payload) {
        return Envelope.first("/wharf/scheduler", type.type(), key, "scheduler", type.write(payload));
    }

    static Envelope fired(String name, String due) {
        Instant dueAt = Instant.parse(due);
        return envelope(Messages.SCHEDULE_FIRED, name, new ScheduleFired(name, dueAt, dueAt.plusSeconds(1),
                "command-" + due, "wharf.backup.commands", CommandToFire.RUN_BACKUP, "db", "correlation", false));
    }

    static Envelope missed(String name, String due, String reason) {
        return envelope(Messages.SCHEDULE_MISSED, name, new ScheduleMissed(name, Instant.parse(due), reason));
    }

    @Test
    void theLatestStateOfANameIsItsSchedule() {
        ScheduleBook book = ScheduleBook.of(List.of(
                envelope(Messages.SCHEDULE_CREATED, "nightly", schedule("nightly", "0 2 * * *", false, 20)),
                envelope(Messages.SCHEDULE_UPDATED, "nightly", schedule("nightly", "0 3 * * *", false, 20)),
                envelope(Messages.SCHEDULE_PAUSED, "nightly", schedule("nightly", "0 3 * * *", true, 20))));
        assertThat(book.find("nightly")).get().satisfies(entry -> {
            assertThat(entry.schedule().expression()).isEqualTo("0 3 * * *");
            assertThat(entry.schedule().paused()).isTrue();
        });

        book.apply(envelope(Messages.SCHEDULE_RESUMED, "nightly", schedule("nightly", "0 3 * * *", false, 20)));
        assertThat(book.find("nightly").orElseThrow().schedule().paused()).isFalse();
    }

    @Test
    void firesAndMissesAreItsHistoryInOrderAndTheLastIsTheLatest() {
        ScheduleBook book = ScheduleBook.of(List.of(
                envelope(Messages.SCHEDULE_CREATED, "nightly", schedule("nightly", "0 2 * * *", false, 20)),
                fired("nightly", "2025-01-02T01:00:00Z"),
                missed("nightly", "2025-01-03T01:00:00Z", "past its starting deadline")));
        ScheduleBook.Entry entry = book.find("nightly").orElseThrow();
        assertThat(entry.history()).extracting(ScheduleBook.Occurrence::outcome).containsExactly("fired", "missed");
        assertThat(entry.history().get(0).commandId()).isEqualTo("command-2025-01-02T01:00:00Z");
        assertThat(entry.history().get(0).firedAt()).isEqualTo(Instant.parse("2025-01-02T01:00:01Z"));
        assertThat(entry.last()).get().satisfies(last -> {
            assertThat(last.fired()).isFalse();
            assertThat(last.reason()).isEqualTo("past its starting deadline");
            assertThat(last.dueAt()).isEqualTo(Instant.parse("2025-01-03T01:00:00Z"));
        });
    }

    @Test
    void historyKeepsTheScheduleHistoryLimitNewest() {
        ScheduleBook book = ScheduleBook.of(List.of(
                envelope(Messages.SCHEDULE_CREATED, "often", schedule("often", "* * * * *", false, 2)),
                fired("often", "2025-01-02T01:00:00Z"),
                fired("often", "2025-01-02T01:01:00Z"),
                fired("often", "2025-01-02T01:02:00Z")));
        assertThat(book.find("often").orElseThrow().history()).extracting(ScheduleBook.Occurrence::dueAt)
                .containsExactly(Instant.parse("2025-01-02T01:01:00Z"), Instant.parse("2025-01-02T01:02:00Z"));
    }

    @Test
    void aDeletedScheduleIsGoneAndARecreatedOneStartsAfresh() {
        ScheduleBook book = ScheduleBook.of(List.of(
                envelope(Messages.SCHEDULE_CREATED, "nightly", schedule("nightly", "0 2 * * *", false, 20)),
                fired("nightly", "2025-01-02T01:00:00Z"),
                envelope(Messages.SCHEDULE_DELETED, "nightly", new ScheduleRef("nightly"))));
        assertThat(book.find("nightly")).isEmpty();
        assertThat(book.entries()).isEmpty();

        book.apply(fired("nightly", "2025-01-03T01:00:00Z")); // a fire racing the deletion
        book.apply(envelope(Messages.SCHEDULE_CREATED, "nightly", schedule("nightly", "0 4 * * *", false, 20)));
        ScheduleBook.Entry entry = book.find("nightly").orElseThrow();
        assertThat(entry.schedule().expression()).isEqualTo("0 4 * * *");
        assertThat(entry.history()).isEmpty();
        assertThat(entry.last()).isEmpty();
    }

    @Test
    void schedulesAreListedByNameAndOtherRecordsAreLeftOut() {
        Envelope unreadable = new Envelope("x", "/wharf/scheduler", Messages.SCHEDULE_CREATED.type(), Instant.now(),
                "broken", null, null, null, null, "{\"name\":\"broken\"}".getBytes(StandardCharsets.UTF_8));
        ScheduleBook book = ScheduleBook.of(List.of(
                envelope(Messages.SCHEDULE_CREATED, "zeta", schedule("zeta", "@daily", false, 20)),
                unreadable,
                envelope(Messages.SCHEDULER_COMMAND_REJECTED, "alpha",
                        new CommandRejected(Messages.CREATE_SCHEDULE.type(), "alpha", "schedule alpha already exists")),
                envelope(Messages.SCHEDULE_CREATED, "alpha", schedule("alpha", "@hourly", false, 20))));
        assertThat(book.entries()).extracting(e -> e.schedule().name()).containsExactly("alpha", "zeta");
    }
}
