package org.wharf.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;

import tools.jackson.databind.JsonNode;

/**
 * A service logging with Spring Boot's own console configuration writes JSON lines (ECS, the default
 * Wharf sets), and a line about a record names it: ce_id, correlationid, ce_type.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @SpringBootApplication
    static class LogTestApplication {
        @Bean
        Subscriptions subscriptions() {
            return UnsupportedCommands.answer(Subscriptions.builder(), List.of(Messages.DEPLOY),
                    Messages.DEPLOY_COMMAND_REJECTED, "log-test").build();
        }
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aLineAboutARecordIsJsonWithItsIds(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext service = SharedInfrastructure.startService(LogTestApplication.class,
                "log-test", "logtest", Map.of("logging.config", "classpath:logback-structured-test.xml"))) {
            String key = "app/log-" + UUID.randomUUID();
            Deploy deploy = new Deploy("app", "env", null, false, null, false);
            // A command whose deadline has passed: the dispatcher refuses it and says so in the log.
            Envelope late = Envelope.first("/wharf/test", Messages.DEPLOY.type(), key, "test", Messages.DEPLOY.write(deploy))
                    .withDeadline(Instant.now().minusSeconds(60));
            kafka.send(Messages.DEPLOY.topic().topicName(), key, late);
            kafka.await(Messages.DEPLOY_COMMAND_REJECTED.topic().topicName(), KafkaTestClient.withKey(key), 1, Duration.ofSeconds(30));

            JsonNode refused = awaitLine(output, late.id(), Duration.ofSeconds(10));
            assertThat(refused).as("a JSON line naming %s in:%n%s", late.id(), output.getOut()).isNotNull();
            assertThat(refused.get("message").asString()).contains("refused").contains("deadline passed");
            assertThat(refused.get(RecordContext.CE_ID).asString()).isEqualTo(late.id());
            assertThat(refused.get(RecordContext.CORRELATION_ID).asString()).isEqualTo(late.correlationId());
            assertThat(refused.get(RecordContext.CE_TYPE).asString()).isEqualTo(Messages.DEPLOY.type());
        }
    }

    /** The first JSON line of the output carrying {@code ceId}, once it is there. */
    private static JsonNode awaitLine(CapturedOutput output, String ceId, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            for (JsonNode line : jsonLines(output.getOut())) {
                if (line.has(RecordContext.CE_ID) && ceId.equals(line.get(RecordContext.CE_ID).asString())) {
                    return line;
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return null;
    }

    private static List<JsonNode> jsonLines(String out) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (line.startsWith("{")) {
                lines.add(WharfJson.MAPPER.readTree(line));
            }
        }
        return lines;
    }
}
