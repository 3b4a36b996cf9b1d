package org.wharf.checker.archive;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Decoding, display and path rules for entry names, shared by the tar and zip inspections. */
final class EntryNames {

    /** Zip's legacy encoding for names without the UTF-8 flag. */
    static final Charset CP437 = Charset.isSupported("IBM437") ? Charset.forName("IBM437") : StandardCharsets.ISO_8859_1;

    /** Display names are cut there: a name is for a human to find the entry, not to be reproduced. */
    static final int MAX_DISPLAY_CHARS = 1024;

    /*
     * Software Heritage's "archive in archive" rule, as swh-deposit writes it: ARCHIVE_EXTENSIONS joined into
     * r".*\.(ext|...)$" and applied with re.match. The dots inside the extensions are unescaped there, so they
     * match any character; that is kept, as are Python's case sensitivity and its '.' and '$' semantics
     * (UNIX_LINES: only '\n' ends a line).
     */
    private static final Pattern SWH_ARCHIVE_NAME = Pattern.compile(
            ".*\\.(zip|tar|tar.gz|xz|tar.xz|bz2|tar.bz2|Z|tar.Z|tgz|7z)$", Pattern.UNIX_LINES);

    private EntryNames() {
    }

    /** The name if {@code raw} is valid UTF-8 (no overlong forms, no surrogates), else null. */
    static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** UTF-8 with U+FFFD for invalid bytes: '/', '\\' and '.' survive, which is all the path rules look at. */
    static String lenientUtf8(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }

    /**
     * A name fit for a report: decoded (UTF-8, or CP437 when asked), invalid bytes and control or invisible
     * characters escaped ({@code \xNN}, {@code \}{@code uNNNN}), backslash doubled so that escapes are unambiguous.
     */
    static String printable(byte[] raw, boolean cp437) {
        StringBuilder out = new StringBuilder(raw.length + 16);
        if (cp437) {
            escape(out, new String(raw, CP437));
            return cut(out);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        // UTF-8 never decodes to more chars than bytes, so the output buffer cannot overflow.
        CharBuffer chars = CharBuffer.allocate(raw.length + 1);
        while (true) {
            CoderResult result = decoder.decode(in, chars, true);
            chars.flip();
            escape(out, chars);
            chars.clear();
            if (!result.isError()) {
                break;
            }
            for (int i = 0; i < result.length(); i++) {
                out.append(String.format("\\x%02X", in.get() & 0xFF));
            }
        }
        return cut(out);
    }

    /** Same as {@link #printable(byte[], boolean)} for a name already decoded. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length() + 16);
        escape(out, name);
        return cut(out);
    }

    private static void escape(StringBuilder out, CharSequence text) {
        for (int i = 0; i < text.length();) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (cp == '\\') {
                out.append("\\\\");
            } else if (cp < 0x20 || cp == 0x7F) {
                out.append(String.format("\\x%02X", cp));
            } else if (isInvisible(cp)) {
                out.append(cp <= 0xFFFF ? String.format("\\u%04X", cp) : String.format("\\U%08X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
    }

    /** C1 controls, bidi overrides, zero-width and line separators can disguise a name in a report. */
    private static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String cut(StringBuilder out) {
        return out.length() <= MAX_DISPLAY_CHARS ? out.toString() : out.substring(0, MAX_DISPLAY_CHARS) + "...";
    }

    /** NUL or C0 control bytes: NUL truncates names in C extractors, the others forge lines in logs and terminals. */
    static boolean hasControl(byte[] raw) {
        for (byte b : raw) {
            if ((b & 0xFF) < 0x20) {
                return true;
            }
        }
        return false;
    }

    static boolean hasControl(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20) {
                return true;
            }
        }
        return false;
    }

    /** Leading '/' or '\' (including UNC paths), or a Windows drive ("C:..."): extraction would leave the target. */
    static boolean isAbsolute(String path) {
        if (path.startsWith("/") || path.startsWith("\\")) {
            return true;
        }
        return path.length() >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0));
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** A ".." segment, with '\' counted as a separator too since Windows extractors treat it so. */
    static boolean hasParentSegment(String path) {
        for (String segment : path.split("[/\\\\]", -1)) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** Path segments, ignoring empty and "." ones: "./a//b/" and "a/b" name the same file. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** Software Heritage's test for an entry that is itself an archive. */
    static boolean looksLikeArchive(String name) {
        return SWH_ARCHIVE_NAME.matcher(name).lookingAt();
    }
}
