package org.wharf.common.message;

import java.util.Objects;

/** Payload records check their mandatory fields here, so a record missing one is unreadable, not a null later. */
public final class Required {

    private Required() {
    }

    public static <T> T field(T value, String name) {
        return Objects.requireNonNull(value, () -> "missing field " + name);
    }

    public static String text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing field " + name);
        }
        return value;
    }
}
