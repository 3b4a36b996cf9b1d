package org.wharf.backup.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StderrTailTest {

    private static final String SECRET = "Secret-Password-1234567890";

    @Test
    void aPasswordAcrossTheCutLeavesNoPieceBehind() throws Exception {
        // The secret starts 10 bytes before the last 2,000: cutting first would keep its last 16 characters.
        String said = "x".repeat(5000) + SECRET + "y".repeat(2000 - SECRET.length() + 10);
        String text = tail(said).text(SECRET);
        assertThat(text).contains("***").doesNotContain(SECRET.substring(SECRET.length() - 8)).endsWith("y");
        assertThat(text.length()).isLessThanOrEqualTo(2000);
    }

    @Test
    void aTalkativeToolIsHeldToItsEndOnly() throws Exception {
        StderrTail tail = tail("line\n".repeat(200_000) + "pg_dump: error: connection failed\n");
        assertThat(tail.text(null)).endsWith("line pg_dump: error: connection failed");
    }

    private static StderrTail tail(String said) throws InterruptedException {
        StderrTail tail = new StderrTail(new ByteArrayInputStream(said.getBytes(StandardCharsets.UTF_8)), "test-stderr");
        tail.start();
        tail.join(10_000);
        return tail;
    }
}
