package org.wharf.deploy.health;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.wharf.deploy.inventory.DeployInventory;

/**
 * An application's health check, from the inventory ({@code health.url}, {@code expect-status},
 * {@code retries}, {@code interval}): the first request, then up to {@code retries} more,
 * {@code interval} apart, until one answers {@code expectStatus}.
 */
public record HealthSpec(URI url, int expectStatus, int retries, Duration interval, Duration requestTimeout) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public HealthSpec {
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("health url must be an http or https URL with a host: " + url);
        }
        String text = url.toString();
        if (text.chars().anyMatch(c -> c <= ' ' || c == '\'' || c == '"' || c == '\\' || c == 0x7F)) {
            throw new IllegalArgumentException("health url must not hold spaces, quotes, backslashes or control characters: " + text);
        }
        if (expectStatus < 100 || expectStatus > 599) {
            throw new IllegalArgumentException("health expect-status must be an HTTP status (100-599): " + expectStatus);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("health retries must not be negative: " + retries);
        }
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("health interval must be a duration of zero or more: " + interval);
        }
        if (requestTimeout == null || requestTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a health request's timeout must be at least 1s: " + requestTimeout);
        }
    }

    public static HealthSpec of(String url, int expectStatus, int retries, Duration interval) {
        try {
            return new HealthSpec(new URI(url), expectStatus, retries, interval, DEFAULT_REQUEST_TIMEOUT);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("health url is not a URL: " + url);
        }
    }

    /** The inventory's {@code health} of an application (validated there too, at start-up). */
    public static HealthSpec of(DeployInventory.Health health) {
        return of(health.getUrl(), health.getExpectStatus(), health.getRetries(), health.getInterval());
    }

    /** The longest the check can take: every request timing out, and the waits between them. */
    public Duration longest() {
        return requestTimeout.multipliedBy(retries + 1L).plus(interval.multipliedBy(retries));
    }
}
