package org.wharf.loader.swhid;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turning raw entry names into text for error messages. */
final class Names {

    /** Names can be megabytes long (pax); error messages should not be. */
    private static final int MAX_SHOWN_CHARS = 300;

    private Names() {
    }

    /**
     * Renders a raw name for a human: valid UTF-8 is shown as text, anything else (undecodable
     * bytes, control characters) as {@code \xNN}, so that a message can neither lie about the
     * name nor smuggle terminal escapes or line breaks into logs.
     */
    static String printable(byte[] name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(name);
        CharBuffer chars = CharBuffer.allocate(name.length);
        StringBuilder out = new StringBuilder();
        while (in.hasRemaining() && out.length() < MAX_SHOWN_CHARS) {
            chars.clear();
            CoderResult result = decoder.decode(in, chars, true);
            chars.flip();
            appendEscaped(out, chars);
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    out.append(String.format("\\x%02x", in.get() & 0xff));
                }
            } else if (result.isUnderflow()) {
                break;
            }
        }
        if (out.length() > MAX_SHOWN_CHARS) {
            out.setLength(MAX_SHOWN_CHARS);
            out.append("...");
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, CharSequence chars) {
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
    }
}
