package org.wharf.common.message.backup;

import org.wharf.common.message.Required;

/**
 * A running backup has stored {@code bytes} in {@code elapsedMillis}: sent every few seconds while it runs.
 *
 * @param expectedBytes the size of the target's previous completed backup (a guess at this one's), or null
 */
public record BackupProgress(String target, String backupId, long bytes, long elapsedMillis, Long expectedBytes) {

    public BackupProgress {
        Required.text(target, "target");
        Required.text(backupId, "backupId");
    }
}
