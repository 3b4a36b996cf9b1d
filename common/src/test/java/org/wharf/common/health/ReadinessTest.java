package org.wharf.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.testsupport.ManagementPort;
import org.wharf.common.testsupport.TcpProxy;

import tools.jackson.databind.JsonNode;

/**
 * The management port's probes: readiness follows PostgreSQL (503 while the service cannot reach it,
 * 200 again once it can), liveness stays 200 throughout. PostgreSQL is shared by every test of the JVM,
 * so it is taken from this one service only, through a proxy in front of it.
 */
class ReadinessTest {

    private static final String SCHEMA = "healthtest";

    @SpringBootApplication
    static class HealthTestApplication {
        @Bean
        Subscriptions subscriptions() {
            return UnsupportedCommands.answer(Subscriptions.builder(), List.of(Messages.DEPLOY),
                    Messages.DEPLOY_COMMAND_REJECTED, "health-test").build();
        }
    }

    @Test
    void readinessGoesDownWhilePostgresIsUnreachableAndUpWhenItIsBackLivenessStaysUp() throws Exception {
        Map<String, Object> properties = SharedInfrastructure.get().serviceProperties(SCHEMA);
        try (TcpProxy postgres = TcpProxy.start(SharedInfrastructure.get().postgres().port());
             ConfigurableApplicationContext service = SharedInfrastructure.startService(HealthTestApplication.class,
                     "health-test", SCHEMA, Map.of(
                             "spring.datasource.url", properties.get("spring.datasource.url").toString()
                                     .replace(":" + SharedInfrastructure.get().postgres().port() + "/", ":" + postgres.port() + "/"),
                             // a health check asks for a connection: it must not wait Hikari's default 30 s for one
                             "spring.datasource.hikari.connection-timeout", "1000"))) {
            ManagementPort management = ManagementPort.of(service);

            HttpResponse<String> ready = management.await("/actuator/health/readiness", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode components = WharfJson.MAPPER.readTree(ready.body()).get("components");
            assertThat(components.propertyNames()).contains("db", "broker", "outbox", "readinessState");
            assertThat(components.get("broker").get("status").asString()).isEqualTo("UP");

            postgres.cut();
            HttpResponse<String> notReady = management.await("/actuator/health/readiness", r -> r.statusCode() == 503, Duration.ofSeconds(60));
            assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
            assertThat(WharfJson.MAPPER.readTree(notReady.body()).get("components").get("db").get("status").asString()).isEqualTo("DOWN");
            HttpResponse<String> live = management.get("/actuator/health/liveness");
            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);

            postgres.restore();
            HttpResponse<String> readyAgain = management.await("/actuator/health/readiness", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            assertThat(readyAgain.statusCode()).as(readyAgain.body()).isEqualTo(200);
            assertThat(WharfJson.MAPPER.readTree(readyAgain.body()).get("components").get("db").get("status").asString()).isEqualTo("UP");
            assertThat(management.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void whereTheServiceUsesS3ReadinessGoesDownWhileTheStoreIsUnreachable() throws Exception {
        int s3Port = SharedInfrastructure.get().s3().getEndpoint().getPort();
        try (TcpProxy s3 = TcpProxy.start(s3Port);
             ConfigurableApplicationContext service = SharedInfrastructure.startService(HealthTestApplication.class,
                     "health-test", SCHEMA, Map.of("wharf.health.s3", "true", "wharf.health.cache-for", "1s",
                             "wharf.s3.endpoint", "http://127.0.0.1:" + s3.port()))) {
            ManagementPort management = ManagementPort.of(service);
            HttpResponse<String> ready = management.await("/actuator/health/readiness", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(WharfJson.MAPPER.readTree(ready.body()).get("components").get("s3").get("status").asString()).isEqualTo("UP");

            s3.cut();
            HttpResponse<String> notReady = management.await("/actuator/health/readiness", r -> r.statusCode() == 503, Duration.ofSeconds(60));
            assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
            JsonNode store = WharfJson.MAPPER.readTree(notReady.body()).get("components").get("s3");
            assertThat(store.get("status").asString()).isEqualTo("DOWN");
            assertThat(store.get("details").get("reason").asString()).isNotBlank().doesNotContain("\n");
            assertThat(notReady.body()).doesNotContain(SharedInfrastructure.get().s3().getSecretKey());

            s3.restore();
            HttpResponse<String> readyAgain = management.await("/actuator/health/readiness", r -> r.statusCode() == 200, Duration.ofSeconds(60));
            assertThat(readyAgain.statusCode()).as(readyAgain.body()).isEqualTo(200);
        }
    }

    @Test
    void anOutboxRecordWaitingLongerThanTheReadyMaxAgeTakesTheServiceOutOfService() throws Exception {
        // The relay is off: the answer to the command stays in the outbox, unsent, and ages.
        try (KafkaTestClient kafka = new KafkaTestClient(SharedInfrastructure.get().bootstrapServers());
             ConfigurableApplicationContext service = SharedInfrastructure.startService(HealthTestApplication.class,
                     "health-test", SCHEMA, Map.of("wharf.outbox.relay-enabled", "false", "wharf.outbox.ready-max-age", "2s"))) {
            ManagementPort management = ManagementPort.of(service);
            HttpResponse<String> before = management.get("/actuator/health/readiness");
            assertThat(WharfJson.MAPPER.readTree(before.body()).get("components").get("outbox").get("status").asString())
                    .as(before.body()).isEqualTo("UP");

            kafka.send(Messages.DEPLOY, "app/outbox-age-" + UUID.randomUUID(), new Deploy("app", "env", null, false, null, false));
            HttpResponse<String> waiting = management.await("/actuator/health/readiness", r -> r.statusCode() == 503, Duration.ofSeconds(60));
            assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(503);
            JsonNode outbox = WharfJson.MAPPER.readTree(waiting.body()).get("components").get("outbox");
            assertThat(outbox.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(outbox.get("details").get("unsent").asLong()).isPositive();
            assertThat(outbox.get("details").get("oldestAgeSeconds").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(management.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            // What this test left unsent is not for the next service started on this schema.
            new JdbcTemplate(SharedInfrastructure.get().postgres().superuser())
                    .update("update " + SCHEMA + ".outbox set sent_at = now() where sent_at is null");
        }
    }

    @Test
    void onlyHealthInfoAndPrometheusAreServedAndOnlyOnLoopback() throws Exception {
        try (ConfigurableApplicationContext service = SharedInfrastructure.startService(HealthTestApplication.class,
                "health-test", SCHEMA, Map.of())) {
            ManagementPort management = ManagementPort.of(service);
            assertThat(management.get("/actuator/prometheus").statusCode()).isEqualTo(200);
            assertThat(management.get("/actuator/info").statusCode()).isEqualTo(200);
            assertThat(management.get("/actuator/env").statusCode()).isEqualTo(404);
            assertThat(management.get("/actuator/beans").statusCode()).isEqualTo(404);
            assertThat(service.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
        }
    }
}
