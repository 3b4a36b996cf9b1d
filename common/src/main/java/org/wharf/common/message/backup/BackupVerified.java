package org.wharf.common.message.backup;

import java.util.Map;

import org.wharf.common.message.Required;

/**
 * A backup's verdict: {@code problem} null when its bytes have the catalog's sha256 and it restored into
 * a scratch database without error ({@code rowCounts} of what it restored); otherwise what differed.
 */
public record BackupVerified(String target, String backupId, String key, String problem, Map<String, Long> rowCounts) {

    public BackupVerified {
        Required.text(target, "target");
        rowCounts = rowCounts == null ? Map.of() : Map.copyOf(rowCounts);
    }

    public boolean ok() {
        return problem == null;
    }
}
