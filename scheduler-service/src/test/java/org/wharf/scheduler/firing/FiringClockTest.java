package org.wharf.scheduler.firing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.scheduler.SchedulerTestSupport.answer;
import static org.wharf.scheduler.SchedulerTestSupport.command;
import static org.wharf.scheduler.SchedulerTestSupport.events;
import static org.wharf.scheduler.SchedulerTestSupport.fired;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleMissed;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;
import org.wharf.scheduler.SchedulerTestSupport;
import org.wharf.scheduler.SchedulerTestSupport.MutableClock;

/**
 * Time moved by hand (an injected clock), so that hours of schedule pass in seconds: missed runs after
 * the scheduler was down (a restart in the middle), starting deadlines, and a 02:30 Europe/Paris daily
 * schedule on both daylight-saving switch days.
 */
class FiringClockTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void afterDowntimeEachPolicyFiresOnceOrNotAtAllNeverABurst() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2031-01-01T00:00:00Z"));
        String id = UUID.randomUUID().toString().substring(0, 8);
        String fireOnce = "fire-once-" + id;
        String skip = "skip-" + id;
        String deadline = "deadline-" + id;
        try (ConfigurableApplicationContext first = SchedulerTestSupport.start(clock, Map.of())) {
            create(fireOnce, "@every 10s", "fire-once", null);
            create(skip, "@every 10s", "skip", null);
            create(deadline, "@every 10s", "fire-once", 3L);
        } // the scheduler is down...
        clock.advance(Duration.ofSeconds(65)); // ...while six due times pass (00:00:10 to 00:01:00)

        try (ConfigurableApplicationContext restarted = SchedulerTestSupport.start(clock, Map.of())) {
            List<Envelope> caughtUp = awaitFired(fireOnce, 1);
            assertThat(caughtUp.get(0).time()).as("the latest missed due time").isEqualTo(Instant.parse("2031-01-01T00:01:00Z"));
            ScheduleMissed summary = Messages.SCHEDULE_MISSED.read(awaitEvent(fireOnce, Messages.SCHEDULE_MISSED.type()));
            assertThat(summary.dueAt()).isEqualTo(Instant.parse("2031-01-01T00:00:10Z"));
            assertThat(summary.reason()).startsWith("5 earlier due time(s)");

            ScheduleMissed skipped = Messages.SCHEDULE_MISSED.read(awaitEvent(skip, Messages.SCHEDULE_MISSED.type()));
            assertThat(skipped.reason()).startsWith("6 due time(s)").contains("policy skip");
            ScheduleMissed late = Messages.SCHEDULE_MISSED.read(awaitEvent(deadline, Messages.SCHEDULE_MISSED.type()));
            assertThat(late.reason()).contains("past its starting deadline of 3 s");
            assertThat(fired(kafka, skip, Duration.ofMillis(500))).isEmpty();
            assertThat(fired(kafka, deadline, Duration.ofMillis(100))).isEmpty();
            assertThat(fired(kafka, fireOnce, Duration.ofMillis(100))).as("one catch-up fire, not six").hasSize(1);

            clock.set(Instant.parse("2031-01-01T00:01:10.500Z")); // the 00:01:10 due time, on time for all three
            for (String name : List.of(fireOnce, skip, deadline)) {
                List<Envelope> commands = awaitFired(name, name.equals(fireOnce) ? 2 : 1);
                assertThat(commands.get(commands.size() - 1).time()).isEqualTo(Instant.parse("2031-01-01T00:01:10Z"));
            }
            for (String name : List.of(fireOnce, skip, deadline)) {
                kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name));
            }
        }
    }

    @Test
    void aDailyScheduleAt0230InParisFiresOnceOnBothDaylightSavingSwitchDays() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-28T12:00:00Z"));
        ZoneId paris = ZoneId.of("Europe/Paris");
        try (ConfigurableApplicationContext scheduler = SchedulerTestSupport.start(clock, Map.of("wharf.scheduler.missed-after", "1h"))) {
            // Spring forward, 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist that day.
            List<Envelope> spring = daily0230(clock, List.of("2026-03-29T00:00:00Z", "2026-03-29T00:59:00Z",
                    "2026-03-29T01:01:00Z", "2026-03-29T01:31:00Z", "2026-03-29T03:00:00Z", "2026-03-29T22:00:00Z",
                    "2026-03-30T00:31:00Z"));
            assertThat(spring.stream().map(e -> e.time().atZone(paris).toLocalDate()))
                    .as("one fire a day, the switch day included").containsExactly(LocalDate.parse("2026-03-29"),
                            LocalDate.parse("2026-03-30"));
            assertThat(spring.get(1).time()).isEqualTo(Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST

            // Fall back, 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice that day.
            clock.set(Instant.parse("2026-10-24T12:00:00Z"));
            List<Envelope> autumn = daily0230(clock, List.of("2026-10-25T00:00:00Z", "2026-10-25T00:31:00Z",
                    "2026-10-25T01:00:00Z", "2026-10-25T01:31:00Z", "2026-10-25T03:00:00Z", "2026-10-26T01:31:00Z"));
            assertThat(autumn).extracting(Envelope::time).as("once on the switch day, at the first 02:30")
                    .containsExactly(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
        }
    }

    /** A new 02:30 Europe/Paris daily schedule, the clock stepped through {@code steps}; what it fired. */
    private static List<Envelope> daily0230(MutableClock clock, List<String> steps) throws InterruptedException {
        String name = "paris-0230-" + UUID.randomUUID().toString().substring(0, 8);
        answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "30 2 * * *", "Europe/Paris",
                command(name), null, null, null, null, null)));
        for (String step : steps) {
            step(clock, step);
        }
        List<Envelope> commands = fired(kafka, name, Duration.ofSeconds(1));
        answer(kafka, kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name)));
        return commands;
    }

    /** Sets the clock, then gives the firing loop (polling every 100 ms) time to act on it. */
    private static void step(MutableClock clock, String instant) throws InterruptedException {
        clock.set(Instant.parse(instant));
        Thread.sleep(400);
    }

    private static void create(String name, String expression, String missed, Long deadline) {
        Envelope answer = answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, expression, null,
                command(name), missed, deadline, null, null, null)));
        assertThat(answer.type()).isEqualTo(Messages.SCHEDULE_CREATED.type());
    }

    private static List<Envelope> awaitFired(String key, int count) {
        kafka.await(SchedulerTestSupport.TARGET_TOPIC, KafkaTestClient.withKey(key), count, Duration.ofSeconds(30));
        return fired(kafka, key, Duration.ofMillis(100));
    }

    private static Envelope awaitEvent(String name, String type) {
        kafka.await(Topic.SCHEDULER_EVENTS.topicName(),
                KafkaTestClient.withKey(name).and(r -> KafkaTestClient.envelope(r).type().equals(type)), 1, Duration.ofSeconds(30));
        return events(kafka, name, type, Duration.ofMillis(100)).get(0);
    }
}
