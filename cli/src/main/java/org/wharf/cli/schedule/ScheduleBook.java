package org.wharf.cli.schedule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.wharf.cli.support.EventFold;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.message.schedule.ScheduleMissed;

/**
 * The current schedules, folded from {@code wharf.scheduler.events}: the latest Created, Updated,
 * Paused or Resumed of a name is its state until a Deleted; its fires and misses are kept up to its
 * history limit. Envelopes must come in topic order; a name's records share a partition, so that order
 * is theirs (envelope times are not used: two records of one instant would tie).
 */
final class ScheduleBook implements EventFold {

    /** A due time of a schedule: {@code fired} (firedAt, commandId, manual) or {@code missed} (reason). */
    record Occurrence(String outcome, Instant dueAt, Instant firedAt, boolean manual, String commandId, String reason) {

        boolean fired() {
            return outcome.equals("fired");
        }
    }

    record Entry(Schedule schedule, List<Occurrence> history) {

        Optional<Occurrence> last() {
            return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
        }
    }

    private static final List<MessageType<Schedule>> STATES = List.of(Messages.SCHEDULE_CREATED,
            Messages.SCHEDULE_UPDATED, Messages.SCHEDULE_PAUSED, Messages.SCHEDULE_RESUMED);

    private final Map<String, Schedule> schedules = new HashMap<>();
    private final Map<String, Deque<Occurrence>> histories = new HashMap<>();

    static ScheduleBook of(Iterable<Envelope> envelopes) {
        return EventFold.of(new ScheduleBook(), envelopes);
    }

    @Override
    public void applyReadable(Envelope e) {
        String type = e.type();
        for (MessageType<Schedule> state : STATES) {
            if (type.equals(state.type())) {
                Schedule schedule = state.read(e);
                schedules.put(schedule.name(), schedule);
                trim(schedule.name());
                return;
            }
        }
        if (Messages.SCHEDULE_DELETED.is(type)) {
            String name = Messages.SCHEDULE_DELETED.read(e).name();
            // A name created again later is a new schedule: the old one's fires are not its history.
            schedules.remove(name);
            histories.remove(name);
        } else if (Messages.SCHEDULE_FIRED.is(type)) {
            ScheduleFired fired = Messages.SCHEDULE_FIRED.read(e);
            record(fired.name(), new Occurrence("fired", fired.dueAt(), fired.firedAt(), fired.manual(), fired.commandId(), null));
        } else if (Messages.SCHEDULE_MISSED.is(type)) {
            ScheduleMissed missed = Messages.SCHEDULE_MISSED.read(e);
            record(missed.name(), new Occurrence("missed", missed.dueAt(), null, false, null, missed.reason()));
        }
    }

    private void record(String name, Occurrence occurrence) {
        if (!schedules.containsKey(name)) {
            return; // a fire racing the schedule's deletion
        }
        histories.computeIfAbsent(name, n -> new ArrayDeque<>()).addLast(occurrence);
        trim(name);
    }

    private void trim(String name) {
        Deque<Occurrence> history = histories.get(name);
        int limit = Math.max(0, schedules.get(name).historyLimit());
        while (history != null && history.size() > limit) {
            history.removeFirst();
        }
    }

    Optional<Entry> find(String name) {
        Schedule schedule = schedules.get(name);
        return schedule == null ? Optional.empty() : Optional.of(entry(schedule));
    }

    /** The schedules by name. */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        schedules.values().stream().sorted(Comparator.comparing(Schedule::name)).forEach(s -> entries.add(entry(s)));
        return entries;
    }

    private Entry entry(Schedule schedule) {
        return new Entry(schedule, List.copyOf(histories.getOrDefault(schedule.name(), new ArrayDeque<>())));
    }
}
