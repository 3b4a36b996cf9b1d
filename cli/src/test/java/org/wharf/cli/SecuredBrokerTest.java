package org.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.cli.support.CliRun;
import org.wharf.checker.CheckerApplication;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.infra.LocalKafka;
import org.wharf.common.kafka.KafkaSecurity;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.contract.AclPlan;
import org.wharf.common.topic.Topic;

/**
 * The platform on a broker run as in production: SASL/SCRAM-SHA-512, Kafka's StandardAuthorizer and
 * the ACLs of {@link AclPlan}, each party with credentials of its own. A second broker, for this test
 * only (the shared one is open), stopped at the end.
 */
class SecuredBrokerTest {

    private static LocalKafka kafka;
    private static ConfigurableApplicationContext checker;
    private static final Map<String, String> passwords = new LinkedHashMap<>();
    private static Path home;

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafka.startSecured(0, null);
        AclPlan.grants().forEach(grant -> passwords.put(grant.principal(), UUID.randomUUID().toString()));
        kafka.createScramUsers(passwords);
        kafka.createAcls(AclPlan.bindings());

        Map<String, Object> overrides = new HashMap<>(security(CheckerApplication.SERVICE_NAME).springProperties());
        overrides.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        // The checker creates the catalog's topics on this broker, with its own credentials.
        checker = SharedInfrastructure.startService(CheckerApplication.class, CheckerApplication.SERVICE_NAME, "checker", overrides);

        home = Files.createTempDirectory("wharf-home-");
        Path passwordFile = home.resolve("kafka-password");
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, passwords.get(AclPlan.OPERATOR) + "\n");
        Properties connection = new Properties();
        connection.setProperty("bootstrap.servers", kafka.bootstrapServers());
        connection.setProperty("kafka.security.protocol", "SASL_PLAINTEXT");
        connection.setProperty("kafka.sasl.mechanism", "SCRAM-SHA-512");
        connection.setProperty("kafka.sasl.username", AclPlan.OPERATOR);
        connection.setProperty("kafka.sasl.password-file", passwordFile.toString());
        try (OutputStream out = Files.newOutputStream(home.resolve("connection.properties"))) {
            connection.store(out, null);
        }
    }

    @AfterAll
    static void stop() {
        if (checker != null) {
            checker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aDepositingSystemWritesDepositsOnlyNeitherCommandsNorTheAuditTrail() throws Exception {
        String key = "sample-" + UUID.randomUUID();
        Envelope restore = Envelope.first("/evil", Messages.RESTORE_BACKUP.type(), key, "mallory",
                Messages.RESTORE_BACKUP.write(new RestoreBackup(key, null, "wharf", true)));
        try (KafkaProducer<String, byte[]> depositor = producer(AclPlan.DEPOSITOR)) {
            assertThat(refusal(depositor, Topic.BACKUP_COMMANDS, key, restore)).isInstanceOf(TopicAuthorizationException.class);
            assertThat(refusal(depositor, Topic.AUDIT, key, restore)).isInstanceOf(TopicAuthorizationException.class);
            // Its own credentials do work: it may announce a deposit.
            assertThat(refusal(depositor, Topic.DEPOSIT_RECEIVED, key, restore)).isNull();
        }
        assertThat(recordsOfKey(Topic.BACKUP_COMMANDS, key)).as("commands of the depositor").isZero();
        assertThat(recordsOfKey(Topic.AUDIT, key)).as("audit records of the depositor").isZero();
    }

    @Test
    void anOperatorWritesCommandsButNeitherTheAuditTrailNorAServicesEvents() throws Exception {
        String key = "forged-" + UUID.randomUUID();
        Envelope forged = Envelope.first("/wharf/checker", Messages.CLIENT_CREATED.type(), key, "mallory", "{}".getBytes());
        try (KafkaProducer<String, byte[]> operator = producer(AclPlan.OPERATOR)) {
            assertThat(refusal(operator, Topic.AUDIT, key, forged)).isInstanceOf(TopicAuthorizationException.class);
            assertThat(refusal(operator, Topic.CHECKER_EVENTS, key, forged)).isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(recordsOfKey(Topic.AUDIT, key)).isZero();
        assertThat(recordsOfKey(Topic.CHECKER_EVENTS, key)).isZero();
    }

    @Test
    void eachServiceWritesTheCommandsTopicsItSendsToAndNoOther() {
        // the loader asks the scheduler for a rescheduled deposit's load (ScheduleOnce)
        assertThat(AclPlan.commandsSentBy("loader-service")).contains(Topic.SCHEDULER_COMMANDS);
        for (String service : AclPlan.serviceInputs().keySet()) {
            try (KafkaProducer<String, byte[]> producer = producer(service)) {
                for (Topic topic : Topic.values()) {
                    if (topic.kind() != Topic.Kind.COMMANDS) {
                        continue;
                    }
                    String key = "sent-by-" + service + "-" + UUID.randomUUID();
                    // a type no service handles: the checker, reading its commands here, skips it
                    Envelope probe = Envelope.first("/wharf/" + service, "org.wharf.test.acl-probe.v1", key, service,
                            "{}".getBytes());
                    Throwable refusal = refusal(producer, topic, key, probe);
                    if (AclPlan.commandsSentBy(service).contains(topic)) {
                        assertThat(refusal).as("%s writing %s", service, topic.topicName()).isNull();
                    } else {
                        assertThat(refusal).as("%s writing %s", service, topic.topicName())
                                .isInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void theCliAndTheCheckerWorkWithTheirOwnCredentials() {
        String username = "secured-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun created = CliRun.wharf(home, "client", "create", "--username", username,
                "--collection", username + "-collection", "--provider-url", "https://example.org/");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).contains("client " + username + " created");

        // The checker wrote its answer's audit copy with its own credentials; the operator may read it.
        CliRun audit = CliRun.wharf(home, "audit", "tail", "--type", Messages.CLIENT_CREATED.type());
        assertThat(audit.status()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("key=" + username);
    }

    @Test
    void aWrongPasswordIsOneLineThatDoesNotEchoIt() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String wrong = "not-the-password-" + UUID.randomUUID();
        int status = Wharf.execute(new String[] {"audit", "tail"}, Map.of("WHARF_HOME", home.toString(),
                "WHARF_KAFKA_PASSWORD", wrong), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("wharf: ").doesNotContain("\n").doesNotContain(wrong);
    }

    private static KafkaSecurity security(String principal) {
        return KafkaSecurity.scram("SASL_PLAINTEXT", principal, passwords.get(principal));
    }

    private static KafkaProducer<String, byte[]> producer(String principal) {
        Map<String, Object> config = new HashMap<>(security(principal).clientProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** What the broker answered to one record: null when it took it. */
    private static Throwable refusal(KafkaProducer<String, byte[]> producer, Topic topic, String key, Envelope envelope) {
        Throwable thrown = catchThrowable(() -> producer.send(KafkaBinding.toRecord(topic.topicName(), key, envelope)).get(30, TimeUnit.SECONDS));
        return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
    }

    /** Records of {@code key} on {@code topic}, read as the broker's super user. */
    private static long recordsOfKey(Topic topic, String key) {
        Map<String, Object> config = new HashMap<>(kafka.adminSecurity().clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic.topicName(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long found = 0;
            Instant deadline = Instant.now().plusSeconds(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    found += key.equals(record.key()) ? 1 : 0;
                }
            }
            return found;
        }
    }
}
