package org.wharf.checker.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.wharf.common.message.deposit.CheckDetail;

/**
 * Decides whether a deposit's Atom/CodeMeta metadata document is fit, following Software
 * Heritage's deposit checks (swh-deposit {@code swh/deposit/loader/checks.py} and its schemas):
 * Atom {@code entry} root, a title and an author, a consistent {@code swh:deposit}, parseable
 * CodeMeta dates, absolute URIs where CodeMeta wants URIs; a missing
 * {@code swh:metadata-provenance} is only a warning.
 *
 * <p>The document is untrusted: it is read bounded, and parsed with DTDs refused (see
 * {@link SafeXmlParser}). Bad input never throws, it yields a {@link MetadataReport} with problems.
 * Instances are immutable and thread-safe.
 */
public final class MetadataChecker {

    public static final int DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String CODEMETA = "https://doi.org/10.5063/SCHEMA/CODEMETA-2.0";
    static final String SWH = "https://www.softwareheritage.org/schema/2018/deposit";
    static final String SCHEMA_ORG = "http://schema.org/";

    /** Prefixes used in summaries and field names, as SWH names them. */
    private static final Map<String, String> PREFIXES = Map.of(
            ATOM, "atom", CODEMETA, "codemeta", SWH, "swh", SCHEMA_ORG, "schema");

    // Wording reused verbatim from swh-deposit so depositors get the messages they know.
    static final String MANDATORY_FIELDS_MISSING = "Mandatory fields are missing";
    static final String TITLE_FIELDS = "atom:name or atom:title or codemeta:name";
    static final String AUTHOR_FIELDS = "atom:author or codemeta:author";
    static final String SUGGESTED_FIELDS_MISSING = "Suggested fields are missing";
    static final String METADATA_PROVENANCE = "swh:metadata-provenance";
    static final String INVALID_DATE_FORMAT = "Invalid date format";
    static final String EMPTY_BODY = "Empty body request is not supported";
    static final String CREATE_AND_ADD_EXCLUSIVE = "<swh:create_origin> and <swh:add_to_origin> are mutually "
            + "exclusive, as they respectively create a new origin and add to an existing origin.";
    static final String UNREADABLE = "metadata could not be read";

    /** CodeMeta dates SWH's schema types DateOrDateTime (year, year-month, date or date-time). */
    private static final Set<String> DATE_OR_DATE_TIME_FIELDS = Set.of("dateCreated", "datePublished", "dateModified");
    /** CodeMeta dates SWH's schema types xsd:date. */
    private static final Set<String> DATE_ONLY_FIELDS = Set.of("embargoDate");

    /**
     * CodeMeta terms whose value is a link, checked when written as text (a nested
     * {@code <codemeta:license><codemeta:url>} form has its inner url checked instead). From
     * CodeMeta 2.0's context (terms typed {@code @id}) and SWH's schema ({@code id} anyURI,
     * {@code identifier} URI or HAL id); terms SWH lets through as free text ({@code releaseNotes},
     * {@code applicationCategory}, {@code developmentStatus}, requirements...) are left alone.
     */
    private static final Set<String> URI_FIELDS = Set.of(
            "id", "url", "codeRepository", "downloadUrl", "installUrl", "contIntegration", "issueTracker",
            "readme", "buildInstructions", "relatedLink", "sameAs", "license");
    private static final String IDENTIFIER = "identifier";

    /** The three ways a deposit says what it targets; SWH allows at most one. */
    private enum Target {
        CREATE_ORIGIN("create_origin"), ADD_TO_ORIGIN("add_to_origin"), REFERENCE("reference");

        final String localName;

        Target(String localName) {
            this.localName = localName;
        }

        String tag() {
            return "<swh:" + localName + ">";
        }

        String field() {
            return "swh:" + localName;
        }
    }

    private final int maxBytes;
    private final SafeXmlParser parser = new SafeXmlParser();

    /** A checker refusing documents over {@value #DEFAULT_MAX_BYTES} bytes. */
    public MetadataChecker() {
        this(DEFAULT_MAX_BYTES);
    }

    /** @param maxBytes largest document accepted, in bytes; at most {@code maxBytes + 1} are ever read */
    public MetadataChecker(int maxBytes) {
        // readNBytes(maxBytes + 1) must neither overflow nor exceed the largest possible array.
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Checks one metadata document. Reads at most {@code maxBytes + 1} bytes and does not close
     * {@code document}: the caller owns it.
     */
    public MetadataReport check(InputStream document) {
        byte[] bytes;
        try {
            // One byte past the limit is enough to know it is too large, without reading the rest.
            bytes = document == null ? new byte[0] : document.readNBytes(maxBytes + 1);
        } catch (IOException | UncheckedIOException e) {
            return MetadataReport.rejected(CheckDetail.of(UNREADABLE));
        }
        if (bytes.length > maxBytes) {
            return MetadataReport.rejected(CheckDetail.of(
                    "metadata document is larger than the limit of " + maxBytes + " bytes"));
        }
        if (bytes.length == 0) {
            return MetadataReport.rejected(CheckDetail.of(EMPTY_BODY));
        }
        Document parsed;
        try {
            parsed = parser.parse(bytes);
        } catch (SafeXmlParser.Refused refused) {
            return MetadataReport.rejected(CheckDetail.of(refused.getMessage()));
        }
        return check(parsed.getDocumentElement());
    }

    private MetadataReport check(Element entry) {
        if (!ATOM.equals(entry.getNamespaceURI()) || !"entry".equals(entry.getLocalName())) {
            // Nothing else means anything if this is not an Atom entry; SWH stops here too.
            return MetadataReport.rejected(CheckDetail.of("Root element should be {" + ATOM + "}entry, but it is "
                    + clarkName(entry), "atom:entry"));
        }
        List<CheckDetail> problems = new ArrayList<>();
        List<CheckDetail> warnings = new ArrayList<>();

        String title = firstText(entry, ATOM, "title")
                .or(() -> firstText(entry, ATOM, "name"))
                .or(() -> firstText(entry, CODEMETA, "name"))
                .orElse(null);
        boolean hasAuthor = firstText(entry, ATOM, "author").or(() -> firstText(entry, CODEMETA, "author")).isPresent();
        List<String> missing = new ArrayList<>();
        if (title == null) {
            missing.add(TITLE_FIELDS);
        }
        if (!hasAuthor) {
            missing.add(AUTHOR_FIELDS);
        }
        if (!missing.isEmpty()) {
            problems.add(new CheckDetail(MANDATORY_FIELDS_MISSING, missing));
        }

        // Unlike SWH, which stops at missing mandatory fields, every check runs, so a depositor
        // learns everything wrong in one round.
        List<Element> deposits = children(entry, SWH, "deposit");
        if (deposits.size() > 1) {
            problems.add(CheckDetail.of("Unexpected child with tag 'swh:deposit'", "swh:deposit"));
        }
        Element deposit = deposits.isEmpty() ? null : deposits.get(0);
        String originUrl = deposit == null ? null : checkDeposit(deposit, problems);

        if (deposit == null || !hasProvenance(deposit)) {
            warnings.add(CheckDetail.of(SUGGESTED_FIELDS_MISSING, METADATA_PROVENANCE));
        }

        checkDates(entry, problems);
        checkUris(entry, problems);

        return new MetadataReport(problems, warnings, title, originUrl,
                firstText(entry, CODEMETA, "softwareVersion").orElse(null),
                firstText(entry, CODEMETA, "dateCreated").orElse(null),
                firstText(entry, CODEMETA, "datePublished").orElse(null));
    }

    /** Checks {@code swh:deposit} as SWH's swh.xsd does; returns the origin url it names, if any. */
    private String checkDeposit(Element deposit, List<CheckDetail> problems) {
        Map<Target, List<Element>> targets = new EnumMap<>(Target.class);
        int provenances = 0;
        for (Element child : elementChildren(deposit)) {
            Optional<Target> target = SWH.equals(child.getNamespaceURI())
                    ? Arrays.stream(Target.values()).filter(t -> t.localName.equals(child.getLocalName())).findFirst()
                    : Optional.empty();
            if (target.isPresent()) {
                targets.computeIfAbsent(target.get(), t -> new ArrayList<>()).add(child);
            } else if (SWH.equals(child.getNamespaceURI()) && "metadata-provenance".equals(child.getLocalName())) {
                provenances++;
                if (provenances == 2) {
                    problems.add(unexpectedChild(child));
                }
            } else {
                problems.add(unexpectedChild(child));
            }
        }
        targets.forEach((target, elements) -> {
            if (elements.size() > 1) {
                problems.add(unexpectedChild(elements.get(1)));
            }
        });

        Set<Target> present = targets.isEmpty() ? EnumSet.noneOf(Target.class) : EnumSet.copyOf(targets.keySet());
        if (present.size() > 1) {
            List<String> fields = present.stream().map(Target::field).toList();
            problems.add(new CheckDetail(present.equals(EnumSet.of(Target.CREATE_ORIGIN, Target.ADD_TO_ORIGIN))
                    ? CREATE_AND_ADD_EXCLUSIVE
                    : joinTags(present) + " are mutually exclusive", fields));
        }

        String originUrl = null;
        for (Target target : List.of(Target.CREATE_ORIGIN, Target.ADD_TO_ORIGIN)) {
            List<Element> elements = targets.getOrDefault(target, List.of());
            if (elements.isEmpty()) {
                continue;
            }
            String url = checkOriginTarget(target, elements.get(0), problems);
            if (originUrl == null) {
                originUrl = url;
            }
        }
        List<Element> references = targets.getOrDefault(Target.REFERENCE, List.of());
        if (!references.isEmpty()) {
            checkReference(references.get(0), problems);
        }
        return originUrl;
    }

    /** {@code create_origin} / {@code add_to_origin}: exactly one {@code swh:origin} with an absolute url. */
    private static String checkOriginTarget(Target target, Element element, List<CheckDetail> problems) {
        List<Element> content = elementChildren(element);
        if (content.size() != 1 || !isSwh(content.get(0), "origin")) {
            problems.add(CheckDetail.of(target.tag() + " must contain exactly one <swh:origin>", target.field()));
            return null;
        }
        return checkOriginUrl(content.get(0), "swh:deposit/" + target.field() + "/swh:origin/@url", problems);
    }

    /** {@code reference}: exactly one {@code swh:origin} (absolute url) or {@code swh:object} (SWHID). */
    private static void checkReference(Element reference, List<CheckDetail> problems) {
        List<Element> content = elementChildren(reference);
        if (content.size() != 1 || !(isSwh(content.get(0), "origin") || isSwh(content.get(0), "object"))) {
            problems.add(CheckDetail.of("<swh:reference> must contain exactly one <swh:origin> or <swh:object>",
                    "swh:reference"));
            return;
        }
        Element target = content.get(0);
        if (isSwh(target, "origin")) {
            checkOriginUrl(target, "swh:deposit/swh:reference/swh:origin/@url", problems);
            return;
        }
        String field = "swh:deposit/swh:reference/swh:object/@swhid";
        String swhid = target.getAttribute("swhid").strip();
        if (swhid.isEmpty()) {
            problems.add(CheckDetail.of("<swh:object> is missing its swhid attribute", field));
        } else if (!ValueFormats.isSwhid(swhid)) {
            problems.add(CheckDetail.of(ValueFormats.quote(swhid) + " is not a valid SWHID", field));
        }
    }

    private static String checkOriginUrl(Element origin, String field, List<CheckDetail> problems) {
        // getAttribute gives "" for a missing attribute; a blank url is as useless as none.
        String url = origin.getAttribute("url").strip();
        if (url.isEmpty()) {
            problems.add(CheckDetail.of("<swh:origin> is missing its url attribute", field));
            return null;
        }
        ValueFormats.absoluteUriProblem(url).ifPresent(summary -> problems.add(CheckDetail.of(summary, field)));
        return url;
    }

    /** As SWH's parse_swh_metadata_provenance: a non-empty swh:metadata-provenance/schema:url. */
    private static boolean hasProvenance(Element deposit) {
        return children(deposit, SWH, "metadata-provenance").stream()
                .anyMatch(provenance -> firstText(provenance, SCHEMA_ORG, "url").isPresent());
    }

    /** Top-level CodeMeta dates, as SWH validates the entry's children against codemeta.xsd. */
    private static void checkDates(Element entry, List<CheckDetail> problems) {
        List<String> invalid = new ArrayList<>();
        for (Element child : elementChildren(entry)) {
            if (!CODEMETA.equals(child.getNamespaceURI())) {
                continue;
            }
            String name = child.getLocalName();
            boolean dateOrDateTime = DATE_OR_DATE_TIME_FIELDS.contains(name);
            if (!dateOrDateTime && !DATE_ONLY_FIELDS.contains(name)) {
                continue;
            }
            // xsd date types collapse whitespace, hence strip; child elements are never a date.
            String value = child.getTextContent().strip();
            boolean valid = elementChildren(child).isEmpty()
                    && (dateOrDateTime ? ValueFormats.isDateOrDateTime(value) : ValueFormats.isFullDate(value));
            String field = "codemeta:" + name;
            if (!valid && !invalid.contains(field)) {
                invalid.add(field);
            }
        }
        if (!invalid.isEmpty()) {
            problems.add(new CheckDetail(INVALID_DATE_FORMAT, invalid));
        }
    }

    /** Every CodeMeta link-valued element, at any depth (an author's id is checked too). */
    private static void checkUris(Element entry, List<CheckDetail> problems) {
        // Iterative walk: depth is bounded by the parser, but recursion buys nothing here.
        Deque<Element> pending = new ArrayDeque<>(elementChildren(entry));
        while (!pending.isEmpty()) {
            Element element = pending.pop();
            List<Element> children = elementChildren(element);
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
            if (!CODEMETA.equals(element.getNamespaceURI()) || !children.isEmpty()) {
                continue;
            }
            String name = element.getLocalName();
            Function<String, Optional<String>> rule = IDENTIFIER.equals(name) ? ValueFormats::identifierProblem
                    : URI_FIELDS.contains(name) ? ValueFormats::absoluteUriProblem
                    : null;
            if (rule != null) {
                // xsd:anyURI collapses whitespace, hence strip.
                rule.apply(element.getTextContent().strip())
                        .ifPresent(summary -> problems.add(CheckDetail.of(summary, path(entry, element))));
            }
        }
    }

    // --- DOM helpers -------------------------------------------------------------------------

    private static List<Element> elementChildren(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static List<Element> children(Element parent, String namespace, String localName) {
        return elementChildren(parent).stream()
                .filter(e -> namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName()))
                .toList();
    }

    /** Trimmed text of the first such direct child that has any: SWH looks at direct children only. */
    private static Optional<String> firstText(Element parent, String namespace, String localName) {
        return children(parent, namespace, localName).stream()
                .map(e -> e.getTextContent().strip())
                .filter(text -> !text.isEmpty())
                .findFirst();
    }

    private static boolean isSwh(Element element, String localName) {
        return SWH.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    private static CheckDetail unexpectedChild(Element child) {
        return CheckDetail.of("Unexpected child with tag " + ValueFormats.quote(prefixedName(child)), "swh:deposit");
    }

    private static String joinTags(Set<Target> targets) {
        List<String> tags = targets.stream().map(Target::tag).toList();
        return String.join(", ", tags.subList(0, tags.size() - 1)) + " and " + tags.get(tags.size() - 1);
    }

    /** {@code codemeta:author/codemeta:id}: where in the entry an element is. */
    private static String path(Element entry, Element element) {
        Deque<String> names = new ArrayDeque<>();
        for (Node node = element; node != entry && node instanceof Element e; node = node.getParentNode()) {
            names.push(prefixedName(e));
        }
        return names.stream().collect(Collectors.joining("/"));
    }

    private static String prefixedName(Element element) {
        String prefix = element.getNamespaceURI() == null ? null : PREFIXES.get(element.getNamespaceURI());
        return prefix != null ? prefix + ":" + element.getLocalName() : clarkName(element);
    }

    /** {@code {namespace}local}, as SWH (ElementTree) prints tags. */
    private static String clarkName(Element element) {
        String local = element.getLocalName() != null ? element.getLocalName() : element.getTagName();
        String name = element.getNamespaceURI() == null ? local : "{" + element.getNamespaceURI() + "}" + local;
        return ValueFormats.truncate(name.replaceAll(ValueFormats.LINE_BREAKING, " "), 200);
    }
}
