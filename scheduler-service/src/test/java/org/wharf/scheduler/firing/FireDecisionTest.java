package org.wharf.scheduler.firing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.wharf.scheduler.schedule.StoredSchedule;

/** The policies, decided for given instants: no clock, no sleep. */
class FireDecisionTest {

    private static final Instant ANCHOR = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration MISSED_AFTER = Duration.ofSeconds(10);

    @Test
    void anOnTimeDueTimeFiresAndTheScheduleMovesOn() {
        FireDecision d = FireDecision.at(schedule("@every 1m", "fire-once", null, "allow", null, at("10:01:00")),
                at("10:01:00.040"), MISSED_AFTER);
        assertThat(d.fire()).isEqualTo(at("10:01:00"));
        assertThat(d.missedDueAt()).isNull();
        assertThat(d.next()).isEqualTo(at("10:02:00"));
    }

    @Test
    void afterDowntimeFireOnceFiresTheLatestDueTimeOnceAndSaysWhatWasMissed() {
        FireDecision d = FireDecision.at(schedule("@every 1m", "fire-once", null, "allow", null, at("10:01:00")),
                at("10:05:30"), MISSED_AFTER);
        assertThat(d.fire()).isEqualTo(at("10:05:00"));
        assertThat(d.missedDueAt()).isEqualTo(at("10:01:00"));
        assertThat(d.missedReason()).startsWith("4 earlier due time(s)").contains("fire-once");
        assertThat(d.next()).isEqualTo(at("10:06:00"));
    }

    @Test
    void afterDowntimeSkipFiresNothing() {
        FireDecision d = FireDecision.at(schedule("@every 1m", "skip", null, "allow", null, at("10:01:00")),
                at("10:05:30"), MISSED_AFTER);
        assertThat(d.fire()).isNull();
        assertThat(d.missedDueAt()).isEqualTo(at("10:01:00"));
        assertThat(d.missedReason()).startsWith("5 due time(s)").contains("policy skip");
        assertThat(d.next()).isEqualTo(at("10:06:00"));
    }

    @Test
    void aSingleDueTimeMissedLongerThanTheToleranceFollowsThePolicyToo() {
        StoredSchedule daily = schedule("0 0 3 * * *", "skip", null, "allow", null, at("03:00:00"));
        assertThat(FireDecision.at(daily, at("03:00:05"), MISSED_AFTER).fire()).as("5 s late: on time").isNotNull();
        FireDecision late = FireDecision.at(daily, at("03:20:00"), MISSED_AFTER);
        assertThat(late.fire()).isNull();
        assertThat(late.missedReason()).contains("policy skip");
    }

    @Test
    void aFirePastItsStartingDeadlineIsSkipped() {
        StoredSchedule s = schedule("@every 1m", "fire-once", 20L, "allow", null, at("10:01:00"));
        assertThat(FireDecision.at(s, at("10:05:15"), MISSED_AFTER).fire()).as("15 s after 10:05").isEqualTo(at("10:05:00"));
        FireDecision d = FireDecision.at(s, at("10:05:30"), MISSED_AFTER);
        assertThat(d.fire()).isNull();
        assertThat(d.missedReason()).contains("past its starting deadline of 20 s");
        assertThat(d.next()).isEqualTo(at("10:06:00"));
    }

    @Test
    void forbidSkipsWhileThePreviousRunIsStillRunning() {
        FireDecision running = FireDecision.at(schedule("@every 1m", "fire-once", null, "forbid", "job-1", at("10:01:00")),
                at("10:01:00.010"), MISSED_AFTER);
        assertThat(running.fire()).isNull();
        assertThat(running.missedReason()).isEqualTo("previous run still running (job job-1)");
        FireDecision allowed = FireDecision.at(schedule("@every 1m", "fire-once", null, "allow", "job-1", at("10:01:00")),
                at("10:01:00.010"), MISSED_AFTER);
        assertThat(allowed.fire()).isEqualTo(at("10:01:00"));
    }

    @Test
    void noneFiresOnceAndHasNoNext() {
        FireDecision d = FireDecision.at(schedule("none", "fire-once", null, "allow", null, ANCHOR), ANCHOR.plusMillis(5),
                MISSED_AFTER);
        assertThat(d.fire()).isEqualTo(ANCHOR);
        assertThat(d.next()).isNull();
    }

    private static Instant at(String time) {
        return Instant.parse("2026-12-01T" + time + "Z");
    }

    private static StoredSchedule schedule(String expression, String missed, Long deadline, String concurrency,
                                           String running, Instant next) {
        return new StoredSchedule("s", expression, "UTC", "wharf.deploy.commands", "org.wharf.deploy.deploy.v1", "k", "{}",
                missed, deadline, concurrency, false, 20, false, ANCHOR, next, null, running, null, null, null);
    }
}
