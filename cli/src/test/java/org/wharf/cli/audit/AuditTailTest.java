package org.wharf.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wharf.cli.support.SharedHome;
import org.wharf.cli.support.CliRun;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

import tools.jackson.databind.JsonNode;

/**
 * {@code wharf audit tail} over records put straight on {@code wharf.audit} of the shared broker: the
 * payload on each line, cut to the width or whole, in {@code --json} as {@code data}; the filters.
 * Each test's records share a correlation id of their own, so the others' records stay out.
 */
class AuditTailTest {

    private static Path home;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() throws Exception {
        home = SharedHome.withCatalogTopics();
        kafka = KafkaTestClient.shared();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void eachLineEndsWithThePayloadCutToTheWidthUnlessWide() {
        String correlation = UUID.randomUUID().toString();
        String note = "n".repeat(300);
        publish(correlation, "org.wharf.test.long.v1", "k", "ann", ("{ \"note\" : \"" + note + "\",\n \"size\": 7 }").getBytes());
        publish(correlation, "org.wharf.test.short.v1", "k", "ann", "{\"a\":1}".getBytes());

        CliRun narrow = CliRun.wharf(home, Map.of("COLUMNS", "120"), "audit", "tail", "--correlation", correlation);
        assertThat(narrow.status()).as(narrow.err()).isZero();
        List<String> lines = narrow.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(120).endsWith("…").contains("org.wharf.test.long.v1").doesNotContain("\"size\"");

        CliRun unset = CliRun.wharf(home, "audit", "tail", "--correlation", correlation);
        assertThat(unset.out().lines().findFirst().orElseThrow()).as("the width when COLUMNS is not set")
                .hasSize(AuditTail.DEFAULT_WIDTH).endsWith("…");

        CliRun wide = CliRun.wharf(home, Map.of("COLUMNS", "120"), "audit", "tail", "--correlation", correlation, "--wide");
        List<String> whole = wide.out().lines().toList();
        assertThat(whole.get(0)).as("the payload as compact one-line JSON, after who asked and before the ids")
                .contains("actor=ann  {\"note\":\"" + note + "\",\"size\":7}  correlation=" + correlation).doesNotContain("…");
        assertThat(whole.get(1)).contains("  {\"a\":1}  correlation=");
        assertThat(lines.get(0)).as("a cut line still shows the payload's start").contains("actor=ann  {\"note\":\"nnn");
        if (whole.get(1).length() <= 120) {
            assertThat(lines.get(1)).as("a line that fits is not cut").isEqualTo(whole.get(1));
        }
    }

    @Test
    void jsonGivesThePayloadAsDataAndTextWhenItIsNotJson() {
        String correlation = UUID.randomUUID().toString();
        publish(correlation, "org.wharf.test.json.v1", "k", "ann", "{\"target\":\"db\",\"parts\":[1,2]}".getBytes());
        String broken = "{not json \u001b[2J";
        publish(correlation, "org.wharf.test.broken.v1", "k", "ann", broken.getBytes(StandardCharsets.UTF_8));

        CliRun json = CliRun.wharf(home, "audit", "tail", "--correlation", correlation, "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode rows = json.json();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("data")).isEqualTo(WharfJson.MAPPER.readTree("{\"target\":\"db\",\"parts\":[1,2]}"));
        assertThat(rows.get(0).get("type").asString()).isEqualTo("org.wharf.test.json.v1");
        assertThat(rows.get(1).get("data").isString()).isTrue();
        assertThat(rows.get(1).get("data").asString()).isEqualTo(broken);

        CliRun text = CliRun.wharf(home, "audit", "tail", "--correlation", correlation, "--wide");
        assertThat(text.out()).contains("  {\"target\":\"db\",\"parts\":[1,2]}").contains("  {not json \\x1b[2J")
                .doesNotContain("\u001b");
    }

    @Test
    void actorAndKeyKeepExactMatchesOnly() {
        String correlation = UUID.randomUUID().toString();
        publish(correlation, "org.wharf.test.a.v1", "db", "ann", "{}".getBytes());
        publish(correlation, "org.wharf.test.b.v1", "db-replica", "anna", "{}".getBytes());
        publish(correlation, "org.wharf.test.c.v1", "db-replica", "ann", "{}".getBytes());

        assertThat(types("--correlation", correlation, "--actor", "ann")).containsExactly("org.wharf.test.a.v1", "org.wharf.test.c.v1");
        assertThat(types("--correlation", correlation, "--actor", "anna")).containsExactly("org.wharf.test.b.v1");
        assertThat(types("--correlation", correlation, "--key", "db")).containsExactly("org.wharf.test.a.v1");
        assertThat(types("--correlation", correlation, "--key", "db-replica", "--actor", "ann")).containsExactly("org.wharf.test.c.v1");
        assertThat(types("--correlation", correlation, "--key", "d")).isEmpty();
    }

    @Test
    void outcomeKeepsTheJobEndsThatEndedSo() {
        String correlation = UUID.randomUUID().toString();
        publish(correlation, Messages.BACKUP_STARTED.type(), "db", "ann", "{}".getBytes());
        publish(correlation, Messages.BACKUP_FAILED, "db", new BackupFailed("db", "b1", "pg_dump exited 1"));
        publish(correlation, Messages.BACKUP_COMPLETED.type(), "db", "ann", "{}".getBytes());
        publish(correlation, Messages.BACKUP_COMMAND_REJECTED, "db", new CommandRejected(Messages.RUN_BACKUP.type(), "db", "no such target"));
        publish(correlation, Messages.BACKUP_VERIFIED, "db", new BackupVerified("db", "b1", "k", "sha256 differs", Map.of()));
        publish(correlation, Messages.ROLLED_BACK, "app", new RolledBack("d1", "app", "prod", "r2", "r1", List.of("h"), false, "health", "h", "health"));
        publish(correlation, Messages.ROLLED_BACK, "app", new RolledBack("d2", "app", "prod", "r2", "r1", List.of("h"), true, null, null, null));

        assertThat(types("--correlation", correlation, "--outcome", "failed"))
                .containsExactly(Messages.BACKUP_FAILED.type(), Messages.BACKUP_VERIFIED.type(), Messages.ROLLED_BACK.type());
        assertThat(types("--correlation", correlation, "--outcome", "rejected")).containsExactly(Messages.BACKUP_COMMAND_REJECTED.type());
        assertThat(types("--correlation", correlation, "--outcome", "completed"))
                .containsExactly(Messages.BACKUP_COMPLETED.type(), Messages.ROLLED_BACK.type());
    }

    @Test
    void anUnknownOutcomeIsAUsageErrorNamingTheThree() {
        CliRun run = CliRun.wharf(home, "audit", "tail", "--outcome", "broken");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("wharf: --outcome must be failed, rejected or completed, not 'broken'");

        CliRun help = CliRun.wharf(home, "audit", "tail", "--help");
        assertThat(help.out()).as("the help names the three").contains("rejected, failed, completed").contains("--wide");
    }

    private static List<String> types(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "audit";
        args[1] = "tail";
        System.arraycopy(options, 0, args, 2, options.length);
        args[args.length - 1] = "--json";
        CliRun run = CliRun.wharf(home, args);
        assertThat(run.status()).as(run.err()).isZero();
        List<String> types = new ArrayList<>();
        run.json().forEach(row -> types.add(row.get("type").asString()));
        return types;
    }

    private static <T> void publish(String correlation, MessageType<T> type, String key, T payload) {
        publish(correlation, type.type(), key, "ann", type.write(payload));
    }

    private static void publish(String correlation, String type, String key, String actor, byte[] data) {
        Envelope record = Envelope.first("/test", type, key, actor, correlation, data);
        kafka.send(Topic.AUDIT.topicName(), key, record);
        // Rows are sorted by time: one millisecond apart keeps the order they were published in.
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
