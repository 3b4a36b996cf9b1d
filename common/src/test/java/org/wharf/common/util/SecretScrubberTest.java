package org.wharf.common.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SecretScrubberTest {

    @Test
    void passwordsTokensKeysAndUrlPasswordsAreMasked() {
        String output = """
                connecting to postgres://app:s3cr3t-Pa55@db.internal:5432/catalogue
                DATABASE_PASSWORD=hunter2-xyz
                api_key: "abc123def456"
                Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig
                aws AKIAABCDEFGHIJKLMNOP used
                -----BEGIN OPENSSH PRIVATE KEY-----
                b3BlbnNzaC1rZXktdjEAAAAA
                -----END OPENSSH PRIVATE KEY-----
                migrated 12 tables
                """;
        String scrubbed = SecretScrubber.scrub(output);
        assertThat(scrubbed).doesNotContain("s3cr3t-Pa55", "hunter2-xyz", "abc123def456", "eyJhbGciOiJIUzI1NiJ9",
                "ABCDEFGHIJKLMNOP", "b3BlbnNzaC1rZXktdjEAAAAA");
        assertThat(scrubbed).contains("postgres://app:***@db.internal:5432/catalogue", "DATABASE_PASSWORD=***",
                "Bearer ***", "[private key removed]", "migrated 12 tables");
    }

    @Test
    void plainOutputIsLeftAlone() {
        String output = "Applying migration 0042_add_index... OK\nhttp://127.0.0.1:3579/datasets/ answered 200\n";
        assertThat(SecretScrubber.scrub(output)).isEqualTo(output);
        assertThat(SecretScrubber.scrub(null)).isNull();
    }

    @Test
    void aJsonPayloadIsScrubbedValueByValueAndBySecretFieldNames() {
        String json = """
                {"target":"sample","originUrl":"https://alice:Hunter2-Secret@hal.example.org/x",
                 "dbPassword":"plain-looking","credentials":{"user":"u","pass":"p"},"notes":["token=abc123xyz"],"size":3}""";
        String scrubbed = new String(SecretScrubber.scrubJson(json.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        assertThat(scrubbed).doesNotContain("Hunter2-Secret", "plain-looking", "abc123xyz", "\"pass\"");
        assertThat(scrubbed).contains("\"target\":\"sample\"", "https://alice:***@hal.example.org/x", "\"dbPassword\":\"***\"",
                "\"credentials\":\"***\"", "token=***", "\"size\":3");
        byte[] clean = "{\"target\":\"sample\",\"keepReleases\":3}".getBytes(StandardCharsets.UTF_8);
        assertThat(SecretScrubber.scrubJson(clean)).isSameAs(clean);
        assertThat(new String(SecretScrubber.scrubJson("not json password=x1".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("not json password=***");
    }
}
