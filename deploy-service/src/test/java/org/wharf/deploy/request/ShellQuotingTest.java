package org.wharf.deploy.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A quoted value reaches a real POSIX shell's command as one word, byte for byte, expanding nothing. */
class ShellQuotingTest {

    @ParameterizedTest
    @ValueSource(strings = {"main", "it's", "'", "''", "'\\''", "$(id)", "`id`", "a; rm -rf /tmp/x", "$HOME ${PATH}", "a\nb",
            "--upload-pack=touch /tmp/x", "*", "back\\slash", "\"double\"", "tab\there", " leading and trailing ", "", "caf\u00e9 \u00fc",
            "!", "#not a comment", "a|b&c>d<e"})
    void roundTripsThroughBinSh(String value) throws Exception {
        // One word ($# is 1), printed unchanged: anything else means the shell split or expanded it.
        Process sh = new ProcessBuilder("/bin/sh", "-c", "set -- " + ShellQuoting.quote(value) + "; printf '%s|%s' \"$#\" \"$1\"")
                .redirectErrorStream(true).start();
        assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("1|" + value);
        assertThat(sh.exitValue()).isZero();
    }

    @Test
    void quotesAnEmbeddedQuoteAsCloseEscapeReopen() {
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void aNulIsRefused() {
        assertThatThrownBy(() -> ShellQuoting.quote("a\0b")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("a value for the remote shell contains a NUL character");
    }
}
