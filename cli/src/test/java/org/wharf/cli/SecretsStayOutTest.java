package org.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.wharf.cli.local.sample.SampleDeploy;
import org.wharf.cli.support.CliRun;
import org.wharf.cli.support.LocalPlatform;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;

/**
 * A password-shaped value sent through every command, in a URL, as a {@code password=} pair, as a key:
 * afterwards it is nowhere in the audit topic (keys, headers, payloads), in the services' logs, or in what
 * the commands answered. The services still got the commands: their answers show the masked value.
 */
class SecretsStayOutTest {

    private static final String SECRET = "Hunter2-Pa55word";
    private static final String PAIR = "password=" + SECRET;
    private static final String URL = "https://ops:" + SECRET + "@hal.example.org/";

    private static LocalPlatform platform;
    private static Path home;
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = LocalPlatform.start();
        home = platform.home();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
    }

    @AfterAll
    static void stopPlatform() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        platform.close();
        kafka.close();
    }

    @Test
    void aPasswordSentThroughEveryCommandIsInNoAuditRecordLogLineOrAnswer() throws Exception {
        Instant start = Instant.now();
        String client = "secret-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("wharf-secret-");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("README"), "no secret here\n");
        Path archive = dir.resolve("a.tar.gz");
        new ProcessBuilder("tar", "-czf", archive.toString(), "-C", tree.toString(), "README").start().waitFor();
        Path metadata = Files.writeString(dir.resolve("metadata.xml"), """
                <?xml version="1.0"?>
                <entry xmlns="http://www.w3.org/2005/Atom"><title>A deposit</title><author><name>Alice</name></author></entry>
                """);

        List<CliRun> answers = new ArrayList<>();
        answers.add(CliRun.wharf(home, "client", "create", "--username", client, "--collection", "secrets", "--provider-url", URL));
        CliRun deposit = CliRun.wharf(home, "deposit", "submit", "--client", client, "--collection", "secrets",
                "--archive", archive.toString(), "--metadata", metadata.toString(), "--origin", URL + "project", "--wait", "--json");
        answers.add(deposit);
        String depositId = deposit.json().get("depositId").asString();
        answers.add(CliRun.wharf(home, "deposit", "submit", "--client", PAIR, "--collection", "secrets",
                "--archive", archive.toString(), "--metadata", metadata.toString(), "--origin", URL + "x", "--wait"));
        answers.add(CliRun.wharf(home, "deposit", "status", depositId));
        answers.add(CliRun.wharf(home, "deposit", "check", PAIR));
        answers.add(CliRun.wharf(home, "deposit", "reschedule", PAIR));
        answers.add(CliRun.wharf(home, "deposit", "list", "--client", client, "--json"));
        answers.add(CliRun.wharf(home, "backup", "run", PAIR, "--wait"));
        answers.add(CliRun.wharf(home, "backup", "verify", "sample", "--backup", PAIR, "--wait"));
        answers.add(CliRun.wharf(home, "backup", "restore", "sample", "--backup", PAIR, "--into", "secret_copy", "--wait"));
        answers.add(CliRun.wharf(home, "backup", "prune", PAIR, "--wait"));
        answers.add(CliRun.wharf(home, "backup", "pin", "sample", PAIR));
        answers.add(CliRun.wharf(home, "deploy", "run", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT, "--ref", PAIR, "--wait"));
        answers.add(CliRun.wharf(home, "deploy", "rollback", SampleDeploy.APPLICATION, SampleDeploy.ENVIRONMENT, "--to", PAIR, "--wait"));
        answers.add(CliRun.wharf(home, "deploy", "unlock", PAIR, "prod"));
        String schedule = "secret-" + UUID.randomUUID().toString().substring(0, 8);
        answers.add(CliRun.wharf(home, "schedule", "add", schedule, "--cron", "@daily", "--backup", PAIR));
        answers.add(CliRun.wharf(home, "schedule", "add", PAIR, "--cron", "@daily", "--backup", "sample"));
        answers.add(CliRun.wharf(home, "schedule", "show", schedule, "--json"));
        answers.add(CliRun.wharf(home, "schedule", "delete", schedule));
        answers.add(CliRun.wharf(home, "probe", "backup", PAIR));
        answers.add(CliRun.wharf(home, "audit", "tail", "--since", "10m", "--json"));
        answers.add(CliRun.wharf(home, "audit", "tail", "--since", "10m"));

        for (CliRun answer : answers) {
            assertThat(answer.out() + answer.err()).as("an answer").doesNotContain(SECRET);
        }
        // The commands reached the services, which answered with the value masked.
        assertThat(deposit.json().get("originUrl").asString()).isEqualTo("https://ops:***@hal.example.org/project");
        assertThat(answers.get(4).err()).contains("deposit password=*** is unknown to the checker");
        assertThat(answers.get(7).err()).contains("password=***");

        List<ConsumerRecord<String, byte[]>> audit = kafka.all(Topic.AUDIT.topicName(),
                r -> r.timestamp() >= start.toEpochMilli(), Duration.ofSeconds(3));
        assertThat(audit).as("audit records of this test").hasSizeGreaterThan(20);
        for (ConsumerRecord<String, byte[]> record : audit) {
            assertThat(String.valueOf(record.key())).as("an audit key").doesNotContain(SECRET);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).as("an audit payload").doesNotContain(SECRET);
            for (Header header : record.headers()) {
                assertThat(new String(header.value(), StandardCharsets.UTF_8)).as("audit header " + header.key()).doesNotContain(SECRET);
            }
        }
        assertThat(audit).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("password=***"));

        List<ILoggingEvent> lines = List.copyOf(logs.list);
        assertThat(lines).as("the services logged while the commands ran").isNotEmpty();
        for (ILoggingEvent line : lines) {
            assertThat(line.getFormattedMessage()).as("a log line").doesNotContain(SECRET);
            if (line.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(line.getThrowableProxy())).as("a logged throwable").doesNotContain(SECRET);
            }
        }
    }
}
