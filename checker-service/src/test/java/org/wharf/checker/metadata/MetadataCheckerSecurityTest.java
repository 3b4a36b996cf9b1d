package org.wharf.checker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.common.message.deposit.CheckDetail;

/**
 * The document is attacker-controlled: DTDs (and so every entity trick) are refused before any
 * of them is resolved, expanded or fetched.
 */
class MetadataCheckerSecurityTest {

    static final CheckDetail DTD_REFUSED = CheckDetail.of("metadata must not contain a DTD or entities");
    static final String SECRET = "wharf-secret-7f3a91c2-do-not-leak";
    static final String NAMESPACES = MetadataCheckerTest.NAMESPACES;

    final MetadataChecker checker = new MetadataChecker();

    @TempDir
    Path dir;
    Path secret;

    @BeforeEach
    void writeSecret() throws IOException {
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
    }

    MetadataReport check(String document) {
        return checker.check(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
    }

    /** Refused with the DTD summary alone, and the secret nowhere in what the caller sees. */
    void assertRefusedWithoutLeak(MetadataReport report) {
        assertThat(report.problems()).containsExactly(DTD_REFUSED);
        assertThat(report.warnings()).isEmpty();
        assertThat(report.title()).isNull();
        assertThat(report.toString()).doesNotContain(SECRET);
    }

    @Test
    void externalGeneralEntityPointingAtALocalFileIsRefusedAndTheFileNeverShows() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE entry [<!ENTITY xxe SYSTEM "%s">]>
                <entry %s><title>&xxe;</title><author>&xxe;</author>
                  <codemeta:url>https://example.org/&xxe;</codemeta:url></entry>
                """.formatted(secret.toUri(), NAMESPACES);

        assertRefusedWithoutLeak(check(xxe));
    }

    @Test
    void parameterEntityExfiltrationIsRefused() {
        Path evilDtd = write("evil.dtd", "<!ENTITY % file SYSTEM \"" + secret.toUri() + "\">"
                + "<!ENTITY % wrap \"<!ENTITY leak '%file;'>\">%wrap;");
        String xxe = """
                <!DOCTYPE entry [<!ENTITY %% remote SYSTEM "%s"> %%remote;]>
                <entry %s><title>&leak;</title><author>a</author></entry>
                """.formatted(evilDtd.toUri(), NAMESPACES);

        assertRefusedWithoutLeak(check(xxe));
    }

    @Test
    void externalDtdFromAFileIsRefusedAndItsEntitiesNeverExpand() {
        Path dtd = write("entities.dtd", "<!ENTITY leak \"" + SECRET + "\">");
        String document = "<!DOCTYPE entry SYSTEM \"" + dtd.toUri() + "\">"
                + "<entry " + NAMESPACES + "><title>&leak;</title><author>a</author></entry>";

        assertRefusedWithoutLeak(check(document));
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder dtd = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE entry [" + dtd + "]>"
                + "<entry " + NAMESPACES + "><title>&lol9;</title><author>a</author></entry>";

        MetadataReport report = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> check(bomb));

        assertThat(report.problems()).containsExactly(DTD_REFUSED);
    }

    @Test
    void externalDtdOverHttpIsRefusedBeforeAnyConnection() throws IOException {
        // A listener we own: if the parser tried to fetch the DTD, this socket would see it.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            String document = "<!DOCTYPE entry SYSTEM \"http://127.0.0.1:" + listener.getLocalPort() + "/evil.dtd\">"
                    + "<entry " + NAMESPACES + "><title>t</title><author>a</author></entry>";

            MetadataReport report = check(document);

            assertThat(report.problems()).containsExactly(DTD_REFUSED);
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void externalDtdAtAnUnroutableAddressIsRefusedWithoutWaitingOnTheNetwork() {
        // 10.255.255.1 drops packets: a connection attempt would hang far past the timeout.
        String document = "<!DOCTYPE entry PUBLIC \"-//W//DTD X//EN\" \"http://10.255.255.1/evil.dtd\">"
                + "<entry " + NAMESPACES + "><title>t</title><author>a</author></entry>";

        MetadataReport report = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> check(document));

        assertThat(report.problems()).containsExactly(DTD_REFUSED);
    }

    @Test
    void anyDoctypeIsRefusedEvenAHarmlessOne() {
        assertThat(check("<!DOCTYPE entry><entry " + NAMESPACES + "><title>t</title><author>a</author></entry>")
                .problems()).containsExactly(DTD_REFUSED);
    }

    @Test
    void dtdRefusalDoesNotDependOnTheDefaultLocale() {
        Locale original = Locale.getDefault();
        try {
            Locale.setDefault(Locale.FRANCE);
            MetadataChecker french = new MetadataChecker();

            assertThat(french.check(new ByteArrayInputStream(("<!DOCTYPE entry [<!ENTITY a \"b\">]><entry "
                    + NAMESPACES + "/>").getBytes(StandardCharsets.UTF_8))).problems()).containsExactly(DTD_REFUSED);
            assertThat(french.check(new ByteArrayInputStream("<a></b>".getBytes(StandardCharsets.UTF_8))).problems())
                    .singleElement().satisfies(problem -> assertThat(problem.summary())
                            .contains("The element type \"a\" must be terminated"));
        } finally {
            Locale.setDefault(original);
        }
    }

    @Test
    void xincludeIsNotProcessed() {
        String document = "<entry " + NAMESPACES + " xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
                + "<title>t<xi:include href=\"" + secret.toUri() + "\" parse=\"text\"/></title>"
                + "<author>a</author></entry>";

        MetadataReport report = check(document);

        assertThat(report.problems()).isEmpty();
        assertThat(report.title()).isEqualTo("t");
        assertThat(report.toString()).doesNotContain(SECRET);
    }

    @Test
    void doctypeInUtf16IsRefusedToo() {
        byte[] utf16 = ("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE entry [<!ENTITY xxe SYSTEM \""
                + secret.toUri() + "\">]><entry " + NAMESPACES + "><title>&xxe;</title><author>a</author></entry>")
                .getBytes(StandardCharsets.UTF_16);

        MetadataReport report = checker.check(new ByteArrayInputStream(utf16));

        assertThat(report.problems()).containsExactly(DTD_REFUSED);
        assertThat(report.toString()).doesNotContain(SECRET);
    }

    @Test
    void summariesOfEveryRefusalStayOnOneLine() {
        for (MetadataReport report : List.of(check("<!DOCTYPE x [\n<!ENTITY a 'b'>\n]><x/>"), check("<x>\n<y>\n</x>"))) {
            assertThat(report.problems()).allSatisfy(problem -> assertThat(problem.summary()).doesNotContain("\n"));
        }
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
