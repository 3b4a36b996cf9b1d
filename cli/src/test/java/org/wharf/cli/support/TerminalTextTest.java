package org.wharf.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void printableTextOfAnyScriptIsLeftAsItIs() {
        assertThat(TerminalText.escape("café 😀 Ωmega 日本 \\x1b")).isEqualTo("café 😀 Ωmega 日本 \\x1b");
    }

    @Test
    void invisibleAndDirectionalCharactersAreShownEscaped() {
        assertThat(TerminalText.escape("a\u200bb\u2066c\u2069\ufeffd\udc00\uDB40\uDC01"))
                .isEqualTo("a\\u200bb\\u2066c\\u2069\\ufeffd\\udc00\\U000e0001");
    }
}
