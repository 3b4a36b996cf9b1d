package org.wharf.common.util;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.wharf.common.json.WharfJson;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Removes what looks like a secret from text a program printed (a build's or a migration's output, say)
 * before it is kept or sent: a URL's password, {@code password=…} and its kin, a bearer token, a
 * private key block, an AWS access key id. Shapes, not values: what a program prints is not known ahead.
 * A JSON document (a record's payload) is scrubbed value by value, and a field whose name says it holds a
 * secret is masked whatever its value.
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

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?).*");

    /** Something every rule and every secret name needs: without it there is nothing to scrub. */
    private static final Pattern HINT = Pattern.compile(
            "(?i)passw|pwd|secret|token|api[_-]?key|access[_-]?key|private|credential|bearer|basic|@|AKIA|ASIA");

    private SecretScrubber() {
    }

    /** Whether a field of this name holds a secret (whatever its value looks like). */
    public static boolean secretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    /**
     * A JSON payload with its secrets masked: string values scrubbed, secret-named fields' values replaced.
     * Bytes that are not JSON are scrubbed as text. The same bytes come back when nothing was found.
     */
    public static byte[] scrubJson(byte[] json) {
        String raw = new String(json, StandardCharsets.UTF_8);
        if (!HINT.matcher(raw).find()) {
            return json; // most payloads: nothing any rule or secret name could match
        }
        JsonNode tree;
        try {
            tree = WharfJson.MAPPER.readTree(json);
        } catch (JacksonException notJson) {
            String scrubbed = scrub(raw);
            return scrubbed.equals(raw) ? json : scrubbed.getBytes(StandardCharsets.UTF_8);
        }
        JsonNode scrubbed = scrubTree(tree);
        return scrubbed.equals(tree) ? json : WharfJson.MAPPER.writeValueAsBytes(scrubbed);
    }

    /** A copy of a JSON tree with its secrets masked. */
    public static JsonNode scrubTree(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isString()) {
            String text = node.asString();
            String scrubbed = scrub(text);
            return scrubbed.equals(text) ? node : WharfJson.MAPPER.getNodeFactory().stringNode(scrubbed);
        }
        if (node.isObject()) {
            ObjectNode copy = WharfJson.MAPPER.createObjectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                copy.set(field.getKey(), secretName(field.getKey()) && !value.isNull()
                        ? WharfJson.MAPPER.getNodeFactory().stringNode(MASK) : scrubTree(value));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = WharfJson.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(scrubTree(element)));
            return copy;
        }
        return node;
    }

    public static String scrub(String text) {
        if (text == null || text.isEmpty() || !HINT.matcher(text).find()) {
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
