package org.wharf.scheduler.schedule.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.schedule.InvalidScheduleException;
import org.wharf.common.schedule.ScheduleExpression;
import org.wharf.common.topic.Topic;
import org.wharf.scheduler.schedule.StoredSchedule;

/** What a schedule must be before it is stored; each problem is one sentence for whoever sent it. */
public final class ScheduleValidation {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern TYPE = Pattern.compile("org\\.wharf\\.[a-z0-9-]+\\.[a-z0-9-]+\\.v[0-9]+");
    private static final int MAX_HISTORY = 1000;

    private ScheduleValidation() {
    }

    /** The problems of a definition; empty when it can be stored. */
    public static List<String> problems(ScheduleDefinition definition) {
        List<String> problems = new ArrayList<>();
        name(definition.name(), problems);
        try {
            ScheduleExpression.parse(definition.expression());
        } catch (InvalidScheduleException e) {
            problems.add(e.getMessage());
        }
        try {
            ScheduleExpression.zone(definition.zone());
        } catch (InvalidScheduleException e) {
            problems.add(e.getMessage());
        }
        command(definition.command(), problems);
        String missed = definition.missedRunPolicy();
        if (missed != null && !missed.equals(StoredSchedule.FIRE_ONCE) && !missed.equals(StoredSchedule.SKIP)) {
            problems.add("missed-run policy '" + missed + "' is not fire-once or skip");
        }
        String concurrency = definition.concurrencyPolicy();
        if (concurrency != null && !concurrency.equals(StoredSchedule.ALLOW) && !concurrency.equals(StoredSchedule.FORBID)) {
            problems.add("concurrency policy '" + concurrency + "' is not allow or forbid");
        }
        if (definition.startingDeadlineSeconds() != null && definition.startingDeadlineSeconds() <= 0) {
            problems.add("the starting deadline must be at least one second");
        }
        if (definition.jobTimeoutSeconds() != null) {
            if (definition.jobTimeoutSeconds() <= 0) {
                problems.add("the job timeout must be at least one second");
            } else if (!StoredSchedule.FORBID.equals(concurrency)) {
                problems.add("a job timeout applies only to concurrency forbid (a schedule waits for its job only then)");
            }
        }
        if (definition.historyLimit() != null && (definition.historyLimit() < 1 || definition.historyLimit() > MAX_HISTORY)) {
            problems.add("the history limit must be between 1 and " + MAX_HISTORY);
        }
        return problems;
    }

    public static void name(String name, List<String> problems) {
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("schedule name '" + name + "' is not 1 to 200 letters, digits, '.', '_', '-' or '/', "
                    + "starting with a letter or digit");
        }
    }

    /**
     * The scheduler fires commands, on the catalog's commands topics: it never writes another service's
     * events (each events topic has a single writer).
     */
    public static void command(ScheduledCommand command, List<String> problems) {
        Topic topic = Topic.named(command.topic()).orElse(null);
        if (topic == null) {
            problems.add("topic '" + command.topic() + "' is not in Wharf's topic catalog");
        } else if (topic.kind() != Topic.Kind.COMMANDS) {
            problems.add("topic '" + command.topic() + "' is not a commands topic: the scheduler fires commands only");
        }
        if (!TYPE.matcher(command.type()).matches()) {
            problems.add("command type '" + command.type() + "' is not of the form org.wharf.<domain>.<name>.v<N>");
        }
        if (!command.payload().isObject()) {
            problems.add("the command's payload is not a JSON object");
        }
    }
}
