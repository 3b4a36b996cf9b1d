package org.wharf.cli.support;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;

/**
 * Makes text that came from records (headers, payloads, reasons) safe to print: a terminal must not
 * obey what a sender put in a field. Control characters (C0, DEL, C1, hence every ESC sequence),
 * format characters (bidi overrides and isolates, zero-width characters) and the Unicode line and
 * paragraph separators are shown escaped ({@code \x1b}, {@code \u202e}); everything else is printed
 * as it is. A backslash is left alone, so an escape in the output may also be literal text.
 */
public final class TerminalText {

    /** The same characters, escaped as JSON {@code \}{@code uXXXX} in {@code --json} output. */
    public static final CharacterEscapes JSON_ESCAPES = new JsonEscapes();

    private TerminalText() {
    }

    public static String escape(String text) {
        if (text == null || text.codePoints().noneMatch(TerminalText::unsafe)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (!unsafe(cp)) {
                escaped.appendCodePoint(cp);
            } else if (cp == '\n') {
                escaped.append("\\n");
            } else if (cp == '\r') {
                escaped.append("\\r");
            } else if (cp == '\t') {
                escaped.append("\\t");
            } else if (cp <= 0xff) {
                escaped.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                escaped.append(String.format("\\u%04x", cp));
            } else {
                escaped.append(String.format("\\U%08x", cp));
            }
        });
        return escaped.toString();
    }

    /** Whether a terminal could act on this code point, or it could change how the line reads. */
    static boolean unsafe(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }

    /**
     * Jackson already escapes C0 in strings; this adds DEL, C1, format characters and U+2028/U+2029,
     * which JSON allows raw but a terminal would act on (U+009B is a CSI) or a reader misread (U+202E).
     */
    private static final class JsonEscapes extends CharacterEscapes {

        private final int[] ascii;

        JsonEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Called with UTF-16 units: a lone surrogate is escaped, a pair (an emoji, say) is not seen as unsafe.
            return ch > 0x7f && ch <= 0xffff && Character.getType(ch) != Character.SURROGATE && unsafe(ch)
                    ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
