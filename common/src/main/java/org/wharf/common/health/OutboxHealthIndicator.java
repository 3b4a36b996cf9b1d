package org.wharf.common.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.wharf.common.outbox.OutboxBacklog;
import org.wharf.common.util.Reasons;

/**
 * Out of service while the oldest unpublished outbox record is older than {@code wharf.outbox.ready-max-age}:
 * the service may take work, but what it says about it does not reach the others.
 */
public final class OutboxHealthIndicator implements HealthIndicator {

    private final OutboxBacklog backlog;
    private final Duration maxAge;

    public OutboxHealthIndicator(OutboxBacklog backlog, Duration maxAge) {
        this.backlog = backlog;
        this.maxAge = maxAge;
    }

    @Override
    public Health health() {
        OutboxBacklog.Backlog now;
        try {
            now = backlog.read();
        } catch (RuntimeException e) {
            return Health.down().withDetail("reason", "the outbox cannot be read: " + Reasons.of(e)).build();
        }
        Status status = now.oldestAge().compareTo(maxAge) > 0 ? Status.OUT_OF_SERVICE : Status.UP;
        return Health.status(status)
                .withDetail("unsent", now.records())
                .withDetail("oldestAgeSeconds", now.oldestAge().toSeconds())
                .withDetail("maxAgeSeconds", maxAge.toSeconds())
                .build();
    }
}
