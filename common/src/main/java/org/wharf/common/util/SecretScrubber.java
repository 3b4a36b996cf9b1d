package org.wharf.common.util;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what looks like a secret from text a program printed (a build's or a migration's output, say)
 * before it is kept or sent: a URL's password, {@code password=…} and its kin, a bearer token, a
 * private key block, an AWS access key id. Shapes, not values: what a program prints is not known ahead.
 */
public final class SecretScrubber {

    public static final String MASK = "***";

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(-----END \\1PRIVATE KEY-----|\\z)", Pattern.DOTALL),
                    "[private key removed]"),
            new Rule(Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*):[^@\\s/]+@"), "$1:" + MASK + "@"),
            new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/-]{8,}=*"), "$1 " + MASK),
            new Rule(Pattern.compile("(?i)\\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)"
                    + "[A-Za-z0-9_.-]*)(\\s*[=:]\\s*)(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s,;]+)"), "$1$2" + MASK),
            new Rule(Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"), "$1" + MASK));

    private SecretScrubber() {
    }

    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String scrubbed = text;
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(scrubbed);
            scrubbed = matcher.replaceAll(rule.replacement());
        }
        return scrubbed;
    }
}
