package org.wharf.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;

/** A record the broker refuses for good is parked with its reason, and the records behind it still go out. */
class OutboxParkingTest {

    private static final String TINY = "wharf.test.tiny-records";
    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static ConfigurableApplicationContext service;

    @SpringBootApplication
    static class ParkingTestApplication {
    }

    @BeforeAll
    static void start() throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(TINY, 1, (short) 1).configs(Map.of("max.message.bytes", "2000"))))
                    .all().get();
        }
        service = SharedInfrastructure.startService(ParkingTestApplication.class, "parking-test", "parkingtest", Map.of());
    }

    @AfterAll
    static void stop() {
        service.close();
        kafka.close();
    }

    @Test
    void aRecordTheBrokerRefusesIsParkedWithItsReasonAndTheNextOnesArePublished() {
        Outbox outbox = service.getBean(Outbox.class);
        TransactionTemplate tx = service.getBean(TransactionTemplate.class);
        JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
        Envelope tooLarge = event(new String(new char[20_000]).replace('\0', 'x'));
        Envelope next = event("small");
        tx.executeWithoutResult(status -> {
            outbox.append(TINY, "k", tooLarge);
            outbox.append(TINY, "k", next);
        });

        kafka.await(TINY, record -> next.id().equals(KafkaTestClient.envelope(record).id()), 1, Duration.ofSeconds(60));
        Map<String, Object> parked = jdbc.queryForMap("select parked_at, park_reason, sent_at from outbox where ce_id = ?",
                tooLarge.id());
        assertThat(parked.get("parked_at")).isNotNull();
        assertThat(parked.get("sent_at")).isNull();
        assertThat((String) parked.get("park_reason")).containsIgnoringCase("larger than");
        assertThat(service.getBean(OutboxRelay.class).parkedCount()).isEqualTo(1);
        assertThat(kafka.all(TINY, record -> tooLarge.id().equals(KafkaTestClient.envelope(record).id()), Duration.ofSeconds(1)))
                .isEmpty();
    }

    @Test
    void aPayloadLargerThanTheBrokerTakesIsRefusedAtAppendInTheCallersTransaction() {
        Outbox outbox = service.getBean(Outbox.class);
        TransactionTemplate tx = service.getBean(TransactionTemplate.class);
        Envelope huge = event(new String(new char[Outbox.MAX_PAYLOAD_BYTES]).replace('\0', 'x'));
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> outbox.append(TINY, "k", huge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is larger than the outbox takes");
        Integer rows = service.getBean(JdbcTemplate.class).queryForObject("select count(*) from outbox where ce_id = ?",
                Integer.class, huge.id());
        assertThat(rows).isZero();
    }

    private static Envelope event(String text) {
        return Envelope.first("/wharf/parking-test", "org.wharf.test.noted.v1", "k", "test",
                ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
