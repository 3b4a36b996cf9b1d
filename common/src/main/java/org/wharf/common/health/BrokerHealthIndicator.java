package org.wharf.common.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.wharf.common.util.Cached;
import org.wharf.common.util.Reasons;

/**
 * The broker answers: a description of the cluster within a short timeout, through one admin client
 * kept for the service's life, the answer reused briefly (probes come every few seconds).
 */
public final class BrokerHealthIndicator implements HealthIndicator, DisposableBean {

    private final AdminClient admin;
    private final Duration timeout;
    private final Cached<Health> health;

    public BrokerHealthIndicator(Map<String, Object> adminProperties, String clientId, Duration timeout, Duration cacheFor) {
        Map<String, Object> properties = new HashMap<>(adminProperties);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        // A check must not outlive its timeout inside the client either.
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.admin = AdminClient.create(properties);
        this.timeout = timeout;
        this.health = new Cached<>(this::check, cacheFor);
    }

    @Override
    public Health health() {
        return health.get();
    }

    private Health check() {
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("reason", "interrupted").build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("reason", "no answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("reason", Reasons.of(e.getCause() == null ? e : e.getCause())).build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
