package org.wharf.deploy.request;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A git ref name as {@code git check-ref-format --allow-onelevel} accepts it (a branch, a tag, a commit
 * id, {@code refs/heads/main}), and neither starting with {@code -} (git would read it as an option, such
 * as {@code --upload-pack=…}) nor longer than {@value #MAX_BYTES} bytes. A ref comes from a message, so it
 * is checked before anything connects, and it is still passed to the host's shell quoted.
 *
 * <p>Stricter than git in one more way: the shell's metacharacters ({@value #SHELL_METACHARACTERS}),
 * which git allows in a name but no branch or tag of ours needs, are refused too, so that a name such as
 * {@code $(id)} never reaches a command line even quoted.
 */
public final class GitRefName {

    public static final int MAX_BYTES = 255;
    public static final String SHELL_METACHARACTERS = "$`;&|<>()'\"!";

    private GitRefName() {
    }

    /** {@code ref} itself when it is a valid name; otherwise refused with the reason. */
    public static String check(String ref) {
        Optional<String> reason = reason(ref);
        if (reason.isPresent()) {
            throw new InvalidRequestException("ref " + (ref == null ? "(none)" : "'" + printable(ref) + "'")
                    + " is not a valid git ref name: " + reason.get());
        }
        return ref;
    }

    /** Whether {@code ref} breaks one of the rules git does not have: a leading '-', a shell metacharacter, the length bound. */
    public static boolean stricterThanGit(String ref) {
        return ref.startsWith("-") || ref.chars().anyMatch(c -> SHELL_METACHARACTERS.indexOf(c) >= 0)
                || ref.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    public static boolean isValid(String ref) {
        return reason(ref).isEmpty();
    }

    /** Why {@code ref} is not a valid name (the first rule it breaks), or empty when it is one. */
    public static Optional<String> reason(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (ref.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("it is longer than " + MAX_BYTES + " bytes");
        }
        for (int i = 0; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("it contains a control character (" + escape(c) + ")");
            }
            if (" ~^:?*[\\".indexOf(c) >= 0) {
                return Optional.of("it contains '" + c + "'");
            }
        }
        for (int i = 0; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (SHELL_METACHARACTERS.indexOf(c) >= 0) {
                return Optional.of("it contains '" + c + "' (a shell metacharacter, refused although git allows it)");
            }
        }
        if (ref.startsWith("-")) {
            return Optional.of("it starts with '-' (git would read it as an option)");
        }
        if (ref.equals("@")) {
            return Optional.of("it is '@' alone");
        }
        if (ref.contains("..")) {
            return Optional.of("it contains '..'");
        }
        if (ref.contains("@{")) {
            return Optional.of("it contains '@{'");
        }
        if (ref.startsWith("/")) {
            return Optional.of("it starts with '/'");
        }
        if (ref.endsWith("/")) {
            return Optional.of("it ends with '/'");
        }
        if (ref.contains("//")) {
            return Optional.of("it contains '//'");
        }
        if (ref.endsWith(".")) {
            return Optional.of("it ends with '.'");
        }
        for (String component : ref.split("/")) {
            if (component.startsWith(".")) {
                return Optional.of("its component '" + component + "' starts with '.'");
            }
            if (component.endsWith(".lock")) {
                return Optional.of("its component '" + component + "' ends with '.lock'");
            }
        }
        return Optional.empty();
    }

    /** The ref on one line: control characters escaped, so that a reason stays one line. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().limit(MAX_BYTES + 1).forEach(c -> out.append(c < 0x20 || c == 0x7f ? escape((char) c) : String.valueOf((char) c)));
        return text.length() > MAX_BYTES + 1 ? out + "…" : out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format("\\x%02x", (int) c);
        };
    }
}
