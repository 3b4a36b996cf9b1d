package org.wharf.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wharf.cli.support.SharedHome;
import org.wharf.cli.support.CliRun;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

import tools.jackson.databind.JsonNode;

/**
 * Records whose headers and payloads carry terminal escape sequences, control characters and bidi
 * overrides, put on the real broker as a hostile sender would, and read back with {@code wharf}: the
 * terminal gets them escaped, never raw, and {@code --json} still carries the exact values.
 */
class HostileRecordsOutputTest {

    /** Clears the screen, sets the window title, a C1 CSI, a right-to-left override, a line separator, a forged line. */
    private static final String HOSTILE = "\u001b[2J\u001b]0;owned\u0007\u009b31m\u202eevil\u2028\u007f\nwharf: all good";

    private static Path home;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() throws Exception {
        home = SharedHome.withCatalogTopics();
        kafka = KafkaTestClient.shared();
    }

    @Test
    void auditTailShowsHostileHeadersEscapedOnOneLine() {
        String correlation = UUID.randomUUID().toString();
        Envelope hostile = Envelope.first("/evil" + HOSTILE, "org.wharf.evil" + HOSTILE + ".v1", "key" + HOSTILE,
                "mallory" + HOSTILE, correlation, "{}".getBytes());
        kafka.send(Topic.AUDIT.topicName(), "key" + HOSTILE, hostile);

        CliRun text = wharf("audit", "tail", "--correlation", correlation, "--wide");

        assertThat(text.status()).as(text.err()).isZero();
        assertNothingRaw(text.out());
        assertThat(text.out().lines()).as("one record, one line").hasSize(1);
        assertThat(text.out()).contains("actor=mallory\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202eevil\\u2028\\x7f\\nwharf: all good");

        // Cut to the width, the line is cut after escaping: never inside an escape, where half a sequence would be raw.
        CliRun cut = wharf("audit", "tail", "--correlation", correlation);
        assertNothingRaw(cut.out());
        assertThat(cut.out().lines()).hasSize(1);
        assertThat(cut.out().strip()).endsWith("…").startsWith(text.out().substring(0, 40));

        CliRun json = wharf("audit", "tail", "--correlation", correlation, "--json");
        assertThat(json.status()).as(json.err()).isZero();
        assertNothingRaw(json.out());
        JsonNode record = WharfJson.MAPPER.readTree(json.out()).get(0);
        assertThat(record.get("actor").asString()).isEqualTo("mallory" + HOSTILE);
        assertThat(record.get("key").asString()).isEqualTo("key" + HOSTILE);
        assertThat(record.get("type").asString()).isEqualTo("org.wharf.evil" + HOSTILE + ".v1");
    }

    @Test
    void auditTailShowsAHostilePayloadEscaped() {
        String correlation = UUID.randomUUID().toString();
        String payload = "{\"note\":\"" + HOSTILE.replace("\n", "\\n").replace("\u001b", "\\u001b").replace("\u0007", "\\u0007")
                + "\"}";
        kafka.send(Topic.AUDIT.topicName(), "k", Envelope.first("/evil", "org.wharf.evil.v1", "k", "mallory", correlation,
                payload.getBytes(StandardCharsets.UTF_8)));
        // Not JSON at all: a NUL, invalid UTF-8, an ESC.
        kafka.send(Topic.AUDIT.topicName(), "k", Envelope.first("/evil", "org.wharf.evil.v1", "k", "mallory", correlation,
                new byte[] {0, (byte) 0xff, (byte) 0xfe, 0x1b, '[', '2', 'J'}));

        CliRun text = wharf("audit", "tail", "--correlation", correlation, "--wide");
        assertThat(text.status()).as(text.err()).isZero();
        assertNothingRaw(text.out());
        assertThat(text.out().lines()).as("two records, two lines").hasSize(2);
        assertThat(text.out()).contains("\\u202eevil").contains("\\x00\ufffd\ufffd\\x1b[2J");

        CliRun json = wharf("audit", "tail", "--correlation", correlation, "--json");
        assertThat(json.status()).as(json.err()).isZero();
        assertNothingRaw(json.out());
        JsonNode records = WharfJson.MAPPER.readTree(json.out());
        assertThat(records.get(0).get("data").get("note").asString()).isEqualTo(HOSTILE);
        assertThat(records.get(1).get("data").asString()).startsWith("\u0000").endsWith("\u001b[2J");
    }

    @Test
    void depositStatusShowsAHostilePayloadEscaped() {
        String depositId = "hostile-" + UUID.randomUUID();
        DepositReceived received = new DepositReceived(depositId, "c", "c", "https://example.org/" + HOSTILE,
                new StoredObject("wharf-deposits", "k", 1L, "0".repeat(64)), new StoredObject("wharf-deposits", "m", 1L, "0".repeat(64)),
                Instant.now());
        kafka.send(Messages.DEPOSIT_RECEIVED, depositId, received);

        CliRun text = wharf("deposit", "status", depositId);

        assertThat(text.status()).as(text.err()).isZero();
        assertNothingRaw(text.out());
        assertThat(text.out()).contains("origin:    https://example.org/\\x1b[2J").doesNotContain("\nwharf: all good");
        CliRun json = wharf("deposit", "status", depositId, "--json");
        assertNothingRaw(json.out());
        assertThat(WharfJson.MAPPER.readTree(json.out()).get("originUrl").asString()).isEqualTo("https://example.org/" + HOSTILE);
    }

    private static void assertNothingRaw(String output) {
        String withoutLineEnds = output.replace("\n", "");
        assertThat(withoutLineEnds.codePoints().filter(cp -> cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)
                || cp == 0x202e || cp == 0x2028)).as("raw control, bidi or separator characters in %s", output).isEmpty();
    }

    private static CliRun wharf(String... args) {
        return CliRun.wharf(home, args);
    }
}
