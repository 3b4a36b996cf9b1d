package org.wharf.checker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wharf.common.message.deposit.CheckDetail;

/** The functional checks, with Software Heritage's wording where SWH has one. */
class MetadataCheckerTest {

    static final String NAMESPACES = """
            xmlns="http://www.w3.org/2005/Atom" \
            xmlns:codemeta="https://doi.org/10.5063/SCHEMA/CODEMETA-2.0" \
            xmlns:swh="https://www.softwareheritage.org/schema/2018/deposit" \
            xmlns:schema="http://schema.org/\"""";

    static final String TITLE_AND_AUTHOR = "<title>Je suis GPL</title><author>Ada Lovelace</author>";

    static final String PROVENANCE = """
            <swh:metadata-provenance>
              <schema:url>https://forge.example.org/jesuisgpl/codemeta</schema:url>
            </swh:metadata-provenance>""";

    static final String VALID = """
            <?xml version="1.0" encoding="utf-8"?>
            <entry %s>
              <title>Je suis GPL</title>
              <author>Wharf Depositor</author>
              <codemeta:name>Je suis GPL (codemeta)</codemeta:name>
              <codemeta:author>
                <codemeta:name>Ada Lovelace</codemeta:name>
                <codemeta:id>https://orcid.org/0000-0002-1825-0097</codemeta:id>
                <codemeta:affiliation><codemeta:name>Analytical Engines</codemeta:name></codemeta:affiliation>
              </codemeta:author>
              <codemeta:url>https://forge.example.org/jesuisgpl/</codemeta:url>
              <codemeta:codeRepository>https://forge.example.org/jesuisgpl.git</codemeta:codeRepository>
              <codemeta:identifier>hal-01243065</codemeta:identifier>
              <codemeta:license>
                <codemeta:name>GPL-3.0-or-later</codemeta:name>
                <codemeta:url>https://spdx.org/licenses/GPL-3.0-or-later.html</codemeta:url>
              </codemeta:license>
              <codemeta:applicationCategory>Free text is fine here</codemeta:applicationCategory>
              <codemeta:releaseNotes>Free text is fine here too</codemeta:releaseNotes>
              <codemeta:softwareVersion> 1.2.0 </codemeta:softwareVersion>
              <codemeta:dateCreated>2017-05-03</codemeta:dateCreated>
              <codemeta:datePublished>2017-10-07T15:17:08Z</codemeta:datePublished>
              <swh:deposit>
                <swh:create_origin>
                  <swh:origin url="https://forge.example.org/jesuisgpl/"/>
                </swh:create_origin>
                %s
              </swh:deposit>
            </entry>
            """;

    final MetadataChecker checker = new MetadataChecker();

    static String entry(String body) {
        return "<entry " + NAMESPACES + ">" + body + "</entry>";
    }

    static String deposit(String content) {
        return entry(TITLE_AND_AUTHOR + "<swh:deposit>" + content + PROVENANCE + "</swh:deposit>");
    }

    MetadataReport check(String document) {
        return checker.check(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
    }

    // --- accepted ------------------------------------------------------------------------------

    @Test
    void validDocumentWithProvenanceHasNoProblemsNoWarningsAndItsFieldsExtracted() {
        MetadataReport report = check(VALID.formatted(NAMESPACES, PROVENANCE));

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(report.accepted()).isTrue();
        assertThat(report.title()).isEqualTo("Je suis GPL");
        assertThat(report.originUrl()).isEqualTo("https://forge.example.org/jesuisgpl/");
        assertThat(report.softwareVersion()).isEqualTo("1.2.0");
        assertThat(report.dateCreated()).isEqualTo("2017-05-03");
        assertThat(report.datePublished()).isEqualTo("2017-10-07T15:17:08Z");
    }

    @Test
    void missingProvenanceIsOneWarningNotAProblem() {
        MetadataReport report = check(VALID.formatted(NAMESPACES, ""));

        assertThat(report.problems()).isEmpty();
        assertThat(report.accepted()).isTrue();
        assertThat(report.warnings()).containsExactly(
                CheckDetail.of("Suggested fields are missing", "swh:metadata-provenance"));
    }

    @Test
    void noDepositElementAtAllIsAlsoJustTheProvenanceWarning() {
        MetadataReport report = check(entry(TITLE_AND_AUTHOR));

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).containsExactly(
                CheckDetail.of("Suggested fields are missing", "swh:metadata-provenance"));
        assertThat(report.originUrl()).isNull();
        assertThat(report.softwareVersion()).isNull();
    }

    @Test
    void codemetaNameAndAuthorAloneSatisfyTheMandatoryFields() {
        MetadataReport report = check(entry("""
                <codemeta:name>bar</codemeta:name>
                <codemeta:author><codemeta:name>no one</codemeta:name></codemeta:author>
                <swh:deposit>%s</swh:deposit>""".formatted(PROVENANCE)));

        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(report.title()).isEqualTo("bar");
    }

    @Test
    void addToOriginGivesTheOriginUrlAndReferenceToAnObjectIsAccepted() {
        MetadataReport add = check(deposit(
                "<swh:add_to_origin><swh:origin url=\"https://example.org/repo\"/></swh:add_to_origin>"));
        MetadataReport reference = check(deposit("<swh:reference><swh:object swhid=\""
                + "swh:1:dir:31b5c8cc985d190b5a7ef4878128ebfdc2358f49;origin=https://example.org/repo\"/>"
                + "</swh:reference>"));

        assertThat(add.problems()).isEmpty();
        assertThat(add.originUrl()).isEqualTo("https://example.org/repo");
        assertThat(reference.problems()).isEmpty();
        assertThat(reference.originUrl()).isNull();
    }

    @Test
    void theParserHonoursTheDeclaredEncoding() {
        byte[] latin1 = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                + entry("<title>Caf\u00e9</title><author>A</author>")).getBytes(StandardCharsets.ISO_8859_1);

        MetadataReport report = checker.check(new ByteArrayInputStream(latin1));

        assertThat(report.problems()).isEmpty();
        assertThat(report.title()).isEqualTo("Caf\u00e9");
    }

    // --- not XML, wrong root -------------------------------------------------------------------

    @Test
    void notWellFormedIsAProblemWithLineAndColumnOnOneLine() {
        MetadataReport report = check("<entry xmlns=\"http://www.w3.org/2005/Atom\">\n"
                + "  <title>x</titel>\n"
                + "</entry>");

        assertThat(report.problems()).containsExactly(CheckDetail.of("Malformed xml metadata at line 2, column 13: "
                + "The element type \"title\" must be terminated by the matching end-tag \"</title>\"."));
        assertThat(report.warnings()).isEmpty();
        assertThat(report.title()).isNull();
    }

    @Test
    void parserMessagesNeverNameExceptionClassesNorSpanLines() {
        for (String broken : List.of("not xml at all", "<entry>", "<a>&undeclared;</a>", "<a b='1' b='2'/>",
                "<entry xmlns=\"http://www.w3.org/2005/Atom\"></entry>\n<second/>", " ")) {
            MetadataReport report = check(broken);

            assertThat(report.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.summary()).startsWith("Malformed xml metadata at line ")
                        .doesNotContain("Exception", "org.xml", "com.sun", "\n", "\r");
                assertThat(problem.fields()).isEmpty();
            });
        }
    }

    @Test
    void unsupportedEncodingIsMalformedToo() {
        assertThat(check("<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><entry/>").problems())
                .containsExactly(CheckDetail.of("Malformed xml metadata: unsupported encoding 'x-no-such-charset'"));
    }

    @Test
    void emptyInputIsSwhsEmptyBodyProblem() {
        assertThat(check("").problems()).containsExactly(CheckDetail.of("Empty body request is not supported"));
        assertThat(checker.check(null).problems()).containsExactly(CheckDetail.of("Empty body request is not supported"));
    }

    @Test
    void rootThatIsNotAnAtomEntryIsRefusedWithSwhsWording() {
        assertThat(check("<feed xmlns=\"http://www.w3.org/2005/Atom\"/>").problems()).containsExactly(
                CheckDetail.of("Root element should be {http://www.w3.org/2005/Atom}entry, but it is "
                        + "{http://www.w3.org/2005/Atom}feed", "atom:entry"));
        // Right local name, wrong namespace: the namespace is what makes it Atom.
        assertThat(check("<codemeta:entry xmlns:codemeta=\"https://doi.org/10.5063/SCHEMA/CODEMETA-2.0\">"
                + TITLE_AND_AUTHOR + "</codemeta:entry>").problems()).containsExactly(
                CheckDetail.of("Root element should be {http://www.w3.org/2005/Atom}entry, but it is "
                        + "{https://doi.org/10.5063/SCHEMA/CODEMETA-2.0}entry", "atom:entry"));
        assertThat(check("<entry><title>t</title><author>a</author></entry>").problems()).containsExactly(
                CheckDetail.of("Root element should be {http://www.w3.org/2005/Atom}entry, but it is entry",
                        "atom:entry"));
    }

    // --- mandatory fields ----------------------------------------------------------------------

    @Test
    void noTitleIsSwhsMandatoryFieldsProblem() {
        MetadataReport report = check(entry("<author>someone</author><codemeta:title>not a codemeta term</codemeta:title>"));

        assertThat(report.problems()).containsExactly(
                CheckDetail.of("Mandatory fields are missing", "atom:name or atom:title or codemeta:name"));
        assertThat(report.title()).isNull();
    }

    @Test
    void noAuthorIsSwhsMandatoryFieldsProblem() {
        // An author without namespace is not Atom's author.
        MetadataReport report = check("<atom:entry xmlns:atom=\"http://www.w3.org/2005/Atom\">"
                + "<atom:title>foobar</atom:title><author>foo</author></atom:entry>");

        assertThat(report.problems()).containsExactly(
                CheckDetail.of("Mandatory fields are missing", "atom:author or codemeta:author"));
    }

    @Test
    void neitherTitleNorAuthorIsOneProblemNamingBoth() {
        assertThat(check(entry("<summary>nothing else</summary>")).problems()).containsExactly(
                CheckDetail.of("Mandatory fields are missing",
                        "atom:name or atom:title or codemeta:name", "atom:author or codemeta:author"));
    }

    @Test
    void blankTitleCountsAsMissing() {
        assertThat(check(entry("<title>  </title><author>a</author>")).problems()).containsExactly(
                CheckDetail.of("Mandatory fields are missing", "atom:name or atom:title or codemeta:name"));
    }

    // --- swh:deposit ---------------------------------------------------------------------------

    @Test
    void createOriginAndAddToOriginTogetherIsSwhsMutuallyExclusiveProblem() {
        MetadataReport report = check(deposit("""
                <swh:create_origin><swh:origin url="https://example.org/a"/></swh:create_origin>
                <swh:add_to_origin><swh:origin url="https://example.org/a"/></swh:add_to_origin>"""));

        assertThat(report.problems()).containsExactly(new CheckDetail(
                "<swh:create_origin> and <swh:add_to_origin> are mutually exclusive, as they respectively "
                        + "create a new origin and add to an existing origin.",
                List.of("swh:create_origin", "swh:add_to_origin")));
    }

    @Test
    void referenceWithEitherOriginTargetIsAProblem() {
        MetadataReport create = check(deposit("""
                <swh:create_origin><swh:origin url="https://example.org/a"/></swh:create_origin>
                <swh:reference><swh:origin url="https://example.org/a"/></swh:reference>"""));
        MetadataReport add = check(deposit("""
                <swh:reference><swh:origin url="https://example.org/a"/></swh:reference>
                <swh:add_to_origin><swh:origin url="https://example.org/a"/></swh:add_to_origin>"""));

        assertThat(create.problems()).containsExactly(new CheckDetail(
                "<swh:create_origin> and <swh:reference> are mutually exclusive",
                List.of("swh:create_origin", "swh:reference")));
        assertThat(add.problems()).containsExactly(new CheckDetail(
                "<swh:add_to_origin> and <swh:reference> are mutually exclusive",
                List.of("swh:add_to_origin", "swh:reference")));
    }

    @Test
    void allThreeTargetsTogetherIsOneProblemNamingAllThree() {
        MetadataReport report = check(deposit("""
                <swh:reference><swh:origin url="https://example.org/a"/></swh:reference>
                <swh:add_to_origin><swh:origin url="https://example.org/a"/></swh:add_to_origin>
                <swh:create_origin><swh:origin url="https://example.org/a"/></swh:create_origin>"""));

        assertThat(report.problems()).containsExactly(new CheckDetail(
                "<swh:create_origin>, <swh:add_to_origin> and <swh:reference> are mutually exclusive",
                List.of("swh:create_origin", "swh:add_to_origin", "swh:reference")));
    }

    @Test
    void theSameTargetTwiceIsSwhsUnexpectedChild() {
        MetadataReport report = check(deposit("""
                <swh:add_to_origin><swh:origin url="https://example.org/a"/></swh:add_to_origin>
                <swh:add_to_origin><swh:origin url="https://example.org/b"/></swh:add_to_origin>"""));

        assertThat(report.problems()).containsExactly(
                CheckDetail.of("Unexpected child with tag 'swh:add_to_origin'", "swh:deposit"));
    }

    @Test
    void unknownChildOfDepositIsSwhsUnexpectedChild() {
        assertThat(check(deposit("<swh:invalid><swh:origin url=\"https://example.org\"/></swh:invalid>")).problems())
                .containsExactly(CheckDetail.of("Unexpected child with tag 'swh:invalid'", "swh:deposit"));
    }

    @Test
    void originUrlMustBeAnAbsoluteUri() {
        MetadataReport relative = check(deposit(
                "<swh:create_origin><swh:origin url=\"forge.example.org/repo\"/></swh:create_origin>"));
        MetadataReport missing = check(deposit("<swh:add_to_origin><swh:origin/></swh:add_to_origin>"));
        MetadataReport invalid = check(deposit(
                "<swh:reference><swh:origin url=\"https://exa mple.org/\"/></swh:reference>"));

        assertThat(relative.problems()).containsExactly(CheckDetail.of(
                "'forge.example.org/repo' is not an absolute URI", "swh:deposit/swh:create_origin/swh:origin/@url"));
        assertThat(missing.problems()).containsExactly(CheckDetail.of(
                "<swh:origin> is missing its url attribute", "swh:deposit/swh:add_to_origin/swh:origin/@url"));
        assertThat(invalid.problems()).containsExactly(CheckDetail.of(
                "'https://exa mple.org/' is not a valid URI", "swh:deposit/swh:reference/swh:origin/@url"));
    }

    @Test
    void originTargetsHoldExactlyOneOriginAndReferencesOneOriginOrObject() {
        assertThat(check(deposit("<swh:create_origin/>")).problems()).containsExactly(
                CheckDetail.of("<swh:create_origin> must contain exactly one <swh:origin>", "swh:create_origin"));
        assertThat(check(deposit("""
                <swh:reference>
                  <swh:object swhid="swh:1:dir:0000000000000000000000000000000000000000"/>
                  <swh:origin url="https://example.org"/>
                </swh:reference>""")).problems()).containsExactly(CheckDetail.of(
                "<swh:reference> must contain exactly one <swh:origin> or <swh:object>", "swh:reference"));
        assertThat(check(deposit("<swh:reference><swh:object swhid=\"swh:2:dir:abc\"/></swh:reference>")).problems())
                .containsExactly(CheckDetail.of("'swh:2:dir:abc' is not a valid SWHID",
                        "swh:deposit/swh:reference/swh:object/@swhid"));
    }

    // --- dates ---------------------------------------------------------------------------------

    @Test
    void unparseableDatesAreSwhsInvalidDateFormatNamingEachField() {
        MetadataReport report = check(entry(TITLE_AND_AUTHOR + """
                <codemeta:datePublished>2020-aa-21</codemeta:datePublished>
                <codemeta:dateCreated>2020-12-bb</codemeta:dateCreated>"""));

        assertThat(report.problems()).containsExactly(new CheckDetail(
                "Invalid date format", List.of("codemeta:datePublished", "codemeta:dateCreated")));
        // Extracted as written, even when invalid: callers look at accepted() first.
        assertThat(report.datePublished()).isEqualTo("2020-aa-21");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2020", "2020-12", "2020-12-21", "2020-12-21Z", "2020-12-21+02:00",
            "2020-12-21T12:00:00", "2020-12-21T12:00:00.123Z", "2020-12-21T12:00:00-05:30", "2024-02-29"})
    void swhAcceptedDateForms(String date) {
        MetadataReport report = check(entry(TITLE_AND_AUTHOR + "<codemeta:dateCreated>" + date
                + "</codemeta:dateCreated>"));

        assertThat(report.problems()).isEmpty();
        assertThat(report.dateCreated()).isEqualTo(date);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "21/12/2020", "2020-12-21 12:00:00", "2020-13", "2020-02-30",
            "2023-02-29", "2020-12-21T24:00:00", "2020-12-21T12:00", "2020-12-21T12:00:00+15:00", "20201221",
            "2020-1-5"})
    void datesSwhRefuses(String date) {
        assertThat(check(entry(TITLE_AND_AUTHOR + "<codemeta:datePublished>" + date
                + "</codemeta:datePublished>")).problems())
                .containsExactly(CheckDetail.of("Invalid date format", "codemeta:datePublished"));
    }

    @Test
    void embargoDateIsADateNotADateTime() {
        assertThat(check(entry(TITLE_AND_AUTHOR + "<codemeta:embargoDate>2022-02-28T12:00:00</codemeta:embargoDate>"))
                .problems()).containsExactly(CheckDetail.of("Invalid date format", "codemeta:embargoDate"));
        assertThat(check(entry(TITLE_AND_AUTHOR + "<codemeta:embargoDate>2022-02-28</codemeta:embargoDate>"))
                .problems()).isEmpty();
    }

    // --- URIs ----------------------------------------------------------------------------------

    @Test
    void relativeUriWhereCodemetaWantsOneIsAProblemNamingFieldAndValue() {
        MetadataReport report = check(entry(TITLE_AND_AUTHOR
                + "<codemeta:url>forge.example.org/jesuisgpl</codemeta:url>"));

        assertThat(report.problems()).containsExactly(
                CheckDetail.of("'forge.example.org/jesuisgpl' is not an absolute URI", "codemeta:url"));
    }

    @Test
    void nestedUrisAreCheckedAndNamedByTheirPath() {
        MetadataReport report = check(entry(TITLE_AND_AUTHOR + """
                <codemeta:author>
                  <codemeta:name>The Author</codemeta:name>
                  <codemeta:id>http://not a url/</codemeta:id>
                  <codemeta:identifier>not a url</codemeta:identifier>
                </codemeta:author>
                <codemeta:license>
                  <codemeta:name>GPL</codemeta:name>
                  <codemeta:url>/licenses/gpl</codemeta:url>
                </codemeta:license>"""));

        assertThat(report.problems()).containsExactly(
                CheckDetail.of("'http://not a url/' is not a valid URI", "codemeta:author/codemeta:id"),
                CheckDetail.of("'not a url' is not an absolute URI", "codemeta:author/codemeta:identifier"),
                CheckDetail.of("'/licenses/gpl' is not an absolute URI", "codemeta:license/codemeta:url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"codeRepository", "downloadUrl", "installUrl", "contIntegration", "issueTracker",
            "readme", "buildInstructions", "relatedLink", "sameAs", "license", "id"})
    void everyLinkValuedCodemetaTermWantsAnAbsoluteUri(String term) {
        String element = "<codemeta:" + term + ">%s</codemeta:" + term + ">";

        assertThat(check(entry(TITLE_AND_AUTHOR + element.formatted("https://example.org/x"))).problems()).isEmpty();
        assertThat(check(entry(TITLE_AND_AUTHOR + element.formatted("x"))).problems())
                .containsExactly(CheckDetail.of("'x' is not an absolute URI", "codemeta:" + term));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailto:someone@example.org", "urn:isbn:0451450523", "file:///etc/passwd", "http://",
            "https:example.org", "//example.org/x"})
    void absoluteMeansASchemeAndAnAuthorityAsForSwh(String uri) {
        assertThat(check(entry(TITLE_AND_AUTHOR + "<codemeta:url>" + uri + "</codemeta:url>")).problems())
                .containsExactly(CheckDetail.of("'" + uri + "' is not an absolute URI", "codemeta:url"));
    }

    @Test
    void identifierMayBeAHalId() {
        assertThat(check(entry(TITLE_AND_AUTHOR + "<codemeta:identifier>hal-02527911v2</codemeta:identifier>"))
                .problems()).isEmpty();
    }

    @Test
    void quotedValuesAreBoundedAndKeptOnOneLine() {
        String longValue = "relative\n" + "x".repeat(1_000);

        CheckDetail problem = check(entry(TITLE_AND_AUTHOR + "<codemeta:url>" + longValue + "</codemeta:url>"))
                .problems().get(0);

        assertThat(problem.summary()).doesNotContain("\n").hasSizeLessThan(260).endsWith("…' is not an absolute URI");
    }

    // --- size and I/O --------------------------------------------------------------------------

    @Test
    void documentOverTheLimitIsRefusedReadingAtMostOneByteMore() {
        MetadataChecker small = new MetadataChecker(1024);
        CountingEndlessStream endless = new CountingEndlessStream();

        MetadataReport report = small.check(endless);

        assertThat(report.problems()).containsExactly(
                CheckDetail.of("metadata document is larger than the limit of 1024 bytes"));
        assertThat(endless.read).isEqualTo(1025);
    }

    @Test
    void documentOfExactlyTheLimitIsRead() {
        byte[] document = entry(TITLE_AND_AUTHOR).getBytes(StandardCharsets.UTF_8);

        MetadataReport report = new MetadataChecker(document.length).check(new ByteArrayInputStream(document));

        assertThat(report.problems()).isEmpty();
        assertThat(new MetadataChecker().maxBytes()).isEqualTo(10 * 1024 * 1024);
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> new MetadataChecker(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetadataChecker(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unreadableStreamIsAProblemNotAnException() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by /secret/path");
            }
        };

        assertThat(checker.check(failing).problems()).containsExactly(CheckDetail.of("metadata could not be read"));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "<codemeta:x>".repeat(100_000) + "</codemeta:x>".repeat(100_000);

        MetadataReport report = check(entry(TITLE_AND_AUTHOR + deep));

        assertThat(report.problems()).singleElement().satisfies(problem -> assertThat(problem.summary())
                .startsWith("Malformed xml metadata at line 1, column ").contains("maxElementDepth"));
    }

    /** Endless stream of spaces that counts what was taken from it. */
    static final class CountingEndlessStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return ' ';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) ' ');
            read += len;
            return len;
        }
    }
}
