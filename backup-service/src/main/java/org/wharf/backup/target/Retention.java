package org.wharf.backup.target;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A target's retention: keep at most {@code keepLast} backups, delete those older than {@code maxAge},
 * but never keep fewer than {@code minKeep} completed ones, and never delete a pinned one. Either limit
 * may be absent; with neither, nothing is deleted.
 */
public record Retention(Integer keepLast, Duration maxAge, int minKeep) {

    /** A completed backup, as retention sees it. */
    public record Backup(String id, String key, Instant startedAt, boolean pinned) {
    }

    public Retention {
        if (keepLast != null && keepLast < 1) {
            throw new IllegalArgumentException("keep-last must be at least 1");
        }
        if (minKeep < 1) {
            throw new IllegalArgumentException("min-keep must be at least 1");
        }
    }

    /** Of {@code backups} (completed, newest first), those to delete at {@code now}, oldest last. */
    public List<Backup> toDelete(List<Backup> backups, Instant now) {
        List<Backup> candidates = new ArrayList<>();
        for (int i = 0; i < backups.size(); i++) {
            Backup b = backups.get(i);
            boolean beyondCount = keepLast != null && i >= keepLast;
            boolean tooOld = maxAge != null && b.startedAt().isBefore(now.minus(maxAge));
            if (!b.pinned() && (beyondCount || tooOld)) {
                candidates.add(b);
            }
        }
        // Never fewer than minKeep: spare the newest candidates first.
        while (!candidates.isEmpty() && backups.size() - candidates.size() < minKeep) {
            candidates.remove(0);
        }
        return candidates;
    }
}
