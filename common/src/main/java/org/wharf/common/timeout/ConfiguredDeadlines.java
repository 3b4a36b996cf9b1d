package org.wharf.common.timeout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.wharf.common.message.CommandDeadlines;

/**
 * The commands' deadlines as configured ({@code wharf.deadlines.<domain>.<name>}). Bound as text, then
 * read as durations: a map of {@link Duration} values loses the dotted keys (Spring Boot treats only
 * {@code java.lang} values as map leaves), so {@code backup.run-backup} would silently not apply.
 */
public final class ConfiguredDeadlines {

    private ConfiguredDeadlines() {
    }

    public static CommandDeadlines from(Environment environment) {
        return from(Binder.get(environment));
    }

    public static CommandDeadlines from(Binder binder) {
        Map<String, String> configured = binder.bind("wharf.deadlines", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        Map<String, Duration> deadlines = new LinkedHashMap<>();
        configured.forEach((name, value) -> {
            try {
                deadlines.put(name, DurationStyle.detectAndParse(value.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("wharf.deadlines." + name + " = '" + value + "' is not a duration (6h, 30m, PT2H)");
            }
        });
        return new CommandDeadlines(deadlines);
    }
}
