package org.wharf.backup.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Keep at most N, delete older than D, never fewer than K, never a pinned one. */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** Daily backups, newest first: day 0 is today. */
    private static List<Retention.Backup> days(int count, int... pinnedDays) {
        List<Retention.Backup> backups = new ArrayList<>();
        for (int day = 0; day < count; day++) {
            boolean pinned = false;
            for (int p : pinnedDays) {
                pinned |= p == day;
            }
            backups.add(new Retention.Backup("b" + day, "key-" + day, NOW.minus(Duration.ofDays(day)), pinned));
        }
        return backups;
    }

    private static List<String> keys(List<Retention.Backup> backups) {
        return backups.stream().map(Retention.Backup::key).toList();
    }

    @Test
    void keepLastDeletesTheOldestBeyondTheCount() {
        assertThat(keys(new Retention(3, null, 1).toDelete(days(5), NOW))).containsExactly("key-3", "key-4");
    }

    @Test
    void maxAgeDeletesWhatIsOlder() {
        assertThat(keys(new Retention(null, Duration.ofDays(2).plusHours(1), 1).toDelete(days(5), NOW)))
                .containsExactly("key-3", "key-4");
    }

    @Test
    void neverFewerThanMinKeepEvenWhenAllAreTooOld() {
        List<Retention.Backup> old = days(5).stream()
                .map(b -> new Retention.Backup(b.id(), b.key(), b.startedAt().minus(Duration.ofDays(30)), false)).toList();
        assertThat(keys(new Retention(null, Duration.ofDays(7), 2).toDelete(old, NOW)))
                .as("the two newest stay").containsExactly("key-2", "key-3", "key-4");
    }

    @Test
    void aPinnedBackupIsNeverDeleted() {
        assertThat(keys(new Retention(1, null, 1).toDelete(days(4, 2), NOW))).containsExactly("key-1", "key-3");
    }

    @Test
    void withoutLimitsNothingGoes() {
        assertThat(new Retention(null, null, 1).toDelete(days(10), NOW)).isEmpty();
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new Retention(0, null, 1)).hasMessageContaining("keep-last");
        assertThatThrownBy(() -> new Retention(null, null, 0)).hasMessageContaining("min-keep");
    }
}
