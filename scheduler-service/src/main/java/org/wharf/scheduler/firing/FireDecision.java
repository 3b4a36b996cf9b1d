package org.wharf.scheduler.firing;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import org.wharf.common.schedule.ScheduleExpression;
import org.wharf.scheduler.schedule.StoredSchedule;

/**
 * What a schedule's due time comes to at {@code now}: which due time fires (if any), what is reported
 * missed and why, and the next due time. Never more than one fire: after downtime, policy
 * {@code fire-once} fires the latest missed due time once and {@code skip} fires none; a fire later
 * than the starting deadline is skipped; with concurrency {@code forbid}, so is a fire while the
 * previous fire's job runs.
 *
 * @param fire the due time to fire, or null
 * @param missedDueAt the (first) due time reported missed, or null
 * @param missedReason why
 * @param next the next due time, strictly after now; null when there is none
 */
record FireDecision(Instant fire, Instant missedDueAt, String missedReason, Instant next) {

    /** Beyond this many missed due times, counting stops (an @every 1s schedule down for a week, say). */
    static final int MAX_COUNTED = 100_000;

    static FireDecision at(StoredSchedule schedule, Instant now, Duration missedAfter) {
        return at(schedule, ScheduleExpression.parse(schedule.expression()), now, missedAfter);
    }

    static FireDecision at(StoredSchedule schedule, ScheduleExpression expression, Instant now, Duration missedAfter) {
        ZoneId zone = ScheduleExpression.zone(schedule.zone());
        Instant due = schedule.nextFireAt();
        Instant latest = due;
        int count = 1;
        Optional<Instant> following = expression.nextAfter(latest, zone, schedule.anchor());
        while (following.isPresent() && !following.get().isAfter(now) && count < MAX_COUNTED) {
            latest = following.get();
            count++;
            following = expression.nextAfter(latest, zone, schedule.anchor());
        }
        Instant next = expression.once() ? null : expression.nextAfter(now, zone, schedule.anchor()).orElse(null);
        String counted = count >= MAX_COUNTED ? "more than " + MAX_COUNTED : Integer.toString(count);

        boolean late = count > 1 || Duration.between(due, now).compareTo(missedAfter) > 0;
        if (late && StoredSchedule.SKIP.equals(schedule.missedRunPolicy())) {
            return new FireDecision(null, due, counted + " due time(s) from " + due + " to " + latest
                    + " passed while no scheduler ran; policy skip", next);
        }
        Instant fire = late ? latest : due;
        if (schedule.startingDeadlineSeconds() != null
                && Duration.between(fire, now).getSeconds() > schedule.startingDeadlineSeconds()) {
            return new FireDecision(null, due, "not fired " + Duration.between(fire, now).getSeconds()
                    + " s after its due time: past its starting deadline of " + schedule.startingDeadlineSeconds() + " s", next);
        }
        if (schedule.forbidsConcurrentRuns() && schedule.runningCorrelationId() != null) {
            return new FireDecision(null, fire, "previous run still running (job " + schedule.runningCorrelationId() + ")", next);
        }
        if (count > 1) {
            return new FireDecision(fire, due, (count - 1) + " earlier due time(s) from " + due
                    + " passed while no scheduler ran; policy fire-once fired once, for " + fire, next);
        }
        return new FireDecision(fire, null, null, next);
    }
}
