package org.wharf.common.message.backup;

import java.util.Map;

import org.wharf.common.message.Required;

/** A backup is restored into {@code database}; {@code rowCounts} per table ({@code schema.table}) of the result. */
public record RestoreCompleted(String target, String backupId, String key, String database, Map<String, Long> rowCounts,
                               long durationMillis) {

    public RestoreCompleted {
        Required.text(target, "target");
        Required.text(database, "database");
        rowCounts = rowCounts == null ? Map.of() : Map.copyOf(rowCounts);
    }
}
