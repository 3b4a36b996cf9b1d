package org.wharf.common.message;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a command may wait before it starts, per command type: whoever sends a command without a
 * deadline of its own gets this one ({@code ce_deadline} = sent + the type's duration). Operators
 * override them in configuration as {@code wharf.deadlines.<domain>.<name>} (e.g.
 * {@code wharf.deadlines[backup.run-backup]=2h}), or all at once as {@code wharf.deadlines.default}.
 */
public final class CommandDeadlines {

    /** A command type's name in configuration: {@code org.wharf.<domain>.<name>.v<N>} → {@code <domain>.<name>}. */
    private static final Pattern TYPE = Pattern.compile("org\\.wharf\\.([a-z0-9-]+)\\.([a-z0-9-]+)\\.v[0-9]+");

    private static final Duration DEFAULT = Duration.ofHours(1);

    /**
     * Built in: a load or a verification may queue behind others for long; a schedule's configuration
     * sent at a service's start-up must survive the scheduler being down for a while.
     */
    private static final Map<String, Duration> BUILT_IN = Map.of(
            "deposit.load", Duration.ofHours(2),
            "deposit.reschedule", Duration.ofHours(2),
            "backup.run-backup", Duration.ofHours(2),
            "backup.verify-backup", Duration.ofHours(2),
            "backup.restore-backup", Duration.ofHours(1),
            "scheduler.create-schedule", Duration.ofDays(7),
            "scheduler.update-schedule", Duration.ofDays(7),
            "scheduler.delete-schedule", Duration.ofDays(7),
            "scheduler.schedule-once", Duration.ofDays(7));

    private final Map<String, Duration> overrides;

    /** @param overrides by {@code <domain>.<name>}, or {@code default} */
    public CommandDeadlines(Map<String, Duration> overrides) {
        overrides.forEach((name, duration) -> {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalStateException("wharf.deadlines." + name + " must be a positive duration");
            }
        });
        this.overrides = Map.copyOf(overrides);
    }

    public static CommandDeadlines builtIn() {
        return new CommandDeadlines(Map.of());
    }

    /** How long a command of this type may wait before it starts. */
    public Duration of(String ceType) {
        String name = nameOf(ceType);
        Duration configured = name == null ? null : overrides.get(name);
        if (configured != null) {
            return configured;
        }
        Duration all = overrides.get("default");
        if (all != null) {
            return all;
        }
        return name == null ? DEFAULT : BUILT_IN.getOrDefault(name, DEFAULT);
    }

    /** The deadline of a command of this type sent at {@code sentAt}. */
    public Instant deadline(String ceType, Instant sentAt) {
        return sentAt.plus(of(ceType));
    }

    /** {@code <domain>.<name>} of a Wharf type, or null for another's. */
    public static String nameOf(String ceType) {
        Matcher m = TYPE.matcher(ceType);
        return m.matches() ? m.group(1) + "." + m.group(2) : null;
    }
}
