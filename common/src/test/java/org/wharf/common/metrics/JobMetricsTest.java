package org.wharf.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ManagementPort;
import org.wharf.common.testsupport.SharedInfrastructure;

/**
 * The Prometheus scrape of a service: a job it ends moves {@code wharf_jobs_ended_total} of its type and
 * outcome by one and is timed; the outbox, consumer-lag and circuit-breaker meters are there.
 */
class JobMetricsTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @SpringBootApplication
    static class MetricsTestApplication {
        @Bean
        Subscriptions subscriptions() {
            return UnsupportedCommands.answer(Subscriptions.builder(), List.of(Messages.DEPLOY),
                    Messages.DEPLOY_COMMAND_REJECTED, "metrics-test").build();
        }
    }

    @Test
    void anUnreadableRecordDeadLetteredMovesTheDeadLetterCounter() throws Exception {
        try (ConfigurableApplicationContext service = SharedInfrastructure.startService(MetricsTestApplication.class,
                "metrics-test", "metricstest", Map.of())) {
            ManagementPort management = ManagementPort.of(service);
            String topic = Messages.DEPLOY.topic().topicName();
            String series = "wharf_dead_lettered_records_total{service=\"metrics-test\",topic=\"" + topic + "\"}";
            double before = ManagementPort.sample(management.get("/actuator/prometheus").body(), series);

            String key = "app/unreadable-" + UUID.randomUUID();
            kafka.send(topic, key, Envelope.first("/wharf/test", Messages.DEPLOY.type(), key, "test",
                    "not json".getBytes(StandardCharsets.UTF_8)));
            kafka.await(topic + "-dlt", KafkaTestClient.withKey(key), 1, Duration.ofSeconds(30));

            String after = management.await("/actuator/prometheus", r -> ManagementPort.sample(r.body(), series) > before,
                    Duration.ofSeconds(30)).body();
            assertThat(ManagementPort.sample(after, series)).isEqualTo(before + 1);
        }
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aJobEndedMovesItsCounterByOneAndIsTimed() throws Exception {
        try (ConfigurableApplicationContext service = SharedInfrastructure.startService(MetricsTestApplication.class,
                "metrics-test", "metricstest", Map.of())) {
            ManagementPort management = ManagementPort.of(service);
            String series = "{outcome=\"" + Messages.DEPLOY_COMMAND_REJECTED.type() + "\",service=\"metrics-test\",type=\""
                    + Messages.DEPLOY.type() + "\"}";
            double before = ManagementPort.sample(management.get("/actuator/prometheus").body(), "wharf_jobs_ended_total" + series);

            String key = "app/metrics-" + UUID.randomUUID();
            kafka.send(Messages.DEPLOY, key, new Deploy("app", "env", null, false, null, false));
            kafka.await(Messages.DEPLOY_COMMAND_REJECTED.topic().topicName(), KafkaTestClient.withKey(key), 1, Duration.ofSeconds(30));

            String after = management.await("/actuator/prometheus",
                    r -> ManagementPort.sample(r.body(), "wharf_jobs_ended_total" + series) > before, Duration.ofSeconds(30)).body();
            assertThat(ManagementPort.sample(after, "wharf_jobs_ended_total" + series)).isEqualTo(before + 1);
            assertThat(ManagementPort.sample(after, "wharf_jobs_duration_seconds_count" + series)).isGreaterThanOrEqualTo(1);
            assertThat(after).contains("wharf_outbox_backlog_records{service=\"metrics-test\"}")
                    .contains("wharf_outbox_oldest_age_seconds{service=\"metrics-test\"}")
                    .contains("wharf_circuit_breaker_state{name=\"metrics-test-s3\",service=\"metrics-test\",state=\"closed\"} 1.0")
                    .contains("kafka_consumer_fetch_manager_records_lag_max");
        }
    }
}
