package org.wharf.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.KafkaTestClient;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The local stack's kept state: what one start stored, the next start on the same folder finds; one holder at a time. */
class KeptStateTest {

    private static final String TOPIC = "kept-state-test";

    @TempDir
    Path data;

    @Test
    void aSecondStartOnTheFolderFindsTheRecordsRowsAndObjectsOfTheFirstAndFreshForgetsThem() throws Exception {
        String marker = UUID.randomUUID().toString();
        Map<String, Object> firstRole;
        try (StateDirectory state = StateDirectory.lock(data);
             LocalInfrastructure first = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, state)) {
            assertThat(state.isEmpty()).as("the first start has stored its state").isFalse();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            try (KafkaTestClient kafka = new KafkaTestClient(first.bootstrapServers())) {
                kafka.send(new ProducerRecord<>(TOPIC, "k", marker.getBytes()));
            }
            firstRole = first.serviceProperties("checker");
            JdbcTemplate checker = asRole(firstRole);
            checker.execute("create table kept (marker text)");
            checker.update("insert into kept values (?)", marker);
            try (S3Client s3 = S3Clients.create(first.s3())) {
                s3.putObject(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key("kept/marker"), RequestBody.fromString(marker));
            }
        }

        try (StateDirectory state = StateDirectory.lock(data);
             LocalInfrastructure second = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, state)) {
            try (KafkaTestClient kafka = new KafkaTestClient(second.bootstrapServers())) {
                assertThat(kafka.await(TOPIC, r -> true, 1, Duration.ofSeconds(30)))
                        .extracting(r -> new String(r.value())).containsExactly(marker);
            }
            Map<String, Object> secondRole = second.serviceProperties("checker");
            assertThat(secondRole.get("spring.datasource.password")).as("a new password at each start")
                    .isNotEqualTo(firstRole.get("spring.datasource.password"));
            assertThat(asRole(secondRole).queryForList("select marker from kept", String.class)).containsExactly(marker);
            try (S3Client s3 = S3Clients.create(second.s3())) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET).key("kept/marker")).asUtf8String())
                        .isEqualTo(marker);
            }
        }

        try (StateDirectory state = StateDirectory.lock(data)) {
            state.empty();
            assertThat(state.isEmpty()).isTrue();
            try (LocalInfrastructure fresh = LocalInfrastructure.start(LocalInfrastructure.Ports.ANY, state);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fresh.bootstrapServers()));
                 S3Client s3 = S3Clients.create(fresh.s3())) {
                assertThat(admin.listTopics().names().get()).doesNotContain(TOPIC);
                Integer tables = new JdbcTemplate(fresh.postgres().superuser()).queryForObject(
                        "select count(*) from pg_tables where tablename = 'kept'", Integer.class);
                assertThat(tables).isZero();
                assertThat(s3.listObjectsV2(b -> b.bucket(LocalInfrastructure.BACKUPS_BUCKET)).contents()).isEmpty();
            }
        }
    }

    @Test
    void aFolderIsHeldByOneStackAtATimeAndFreeAgainOnceReleased() {
        try (StateDirectory held = StateDirectory.lock(data)) {
            assertThatThrownBy(() -> StateDirectory.lock(data))
                    .isInstanceOf(StateDirectory.InUseException.class)
                    .hasMessage("another local stack is running on " + held.root() + " (pid " + ProcessHandle.current().pid()
                            + "): stop it first, or give another --data-dir");
        }
        try (StateDirectory again = StateDirectory.lock(data)) {
            assertThat(again.root()).isEqualTo(data.toAbsolutePath().normalize());
        }
    }

    private static JdbcTemplate asRole(Map<String, Object> properties) {
        return new JdbcTemplate(new DriverManagerDataSource((String) properties.get("spring.datasource.url"),
                (String) properties.get("spring.datasource.username"), (String) properties.get("spring.datasource.password")));
    }
}
