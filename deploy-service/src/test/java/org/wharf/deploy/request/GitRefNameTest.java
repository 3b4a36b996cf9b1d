package org.wharf.deploy.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Refs a Deploy may carry: git's own rules, plus no leading '-' and no shell metacharacters. */
class GitRefNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"main", "feature/x-1", "v1.2.3", "refs/heads/main", "release-2024.01", "a1b2c3d", "user/topic_branch",
            "HEAD", "caf\u00e9"})
    void validRefsAreAccepted(String ref) {
        assertThat(GitRefName.check(ref)).isEqualTo(ref);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "main; rm -rf /       | ref 'main; rm -rf /' is not a valid git ref name: it contains ' '",
            "$(id)                | ref '$(id)' is not a valid git ref name: it contains '$' (a shell metacharacter, refused although git allows it)",
            "`id`                 | ref '`id`' is not a valid git ref name: it contains '`' (a shell metacharacter, refused although git allows it)",
            "--upload-pack=touch  | ref '--upload-pack=touch' is not a valid git ref name: it starts with '-' (git would read it as an option)",
            "my branch            | ref 'my branch' is not a valid git ref name: it contains ' '",
            "a..b                 | ref 'a..b' is not a valid git ref name: it contains '..'",
            "x.lock               | ref 'x.lock' is not a valid git ref name: its component 'x.lock' ends with '.lock'",
            "feature/.hidden      | ref 'feature/.hidden' is not a valid git ref name: its component '.hidden' starts with '.'",
            "@                    | ref '@' is not a valid git ref name: it is '@' alone",
            "main@{1}             | ref 'main@{1}' is not a valid git ref name: it contains '@{'",
            "a//b                 | ref 'a//b' is not a valid git ref name: it contains '//'",
            "/main                | ref '/main' is not a valid git ref name: it starts with '/'",
            "main/                | ref 'main/' is not a valid git ref name: it ends with '/'",
            "main.                | ref 'main.' is not a valid git ref name: it ends with '.'",
            "a~1                  | ref 'a~1' is not a valid git ref name: it contains '~'",
            "a:b                  | ref 'a:b' is not a valid git ref name: it contains ':'",
            "a\\b                 | ref 'a\\b' is not a valid git ref name: it contains '\\'",
    })
    void injectionAndMalformedRefsAreRefusedWithTheReason(String ref, String reason) {
        assertThatThrownBy(() -> GitRefName.check(ref)).isInstanceOf(InvalidRequestException.class).hasMessage(reason);
    }

    @Test
    void controlCharactersAreRefusedAndTheReasonStaysOneLine() {
        assertThatThrownBy(() -> GitRefName.check("main\nrm -rf /")).hasMessage(
                "ref 'main\\nrm -rf /' is not a valid git ref name: it contains a control character (\\n)");
        assertThatThrownBy(() -> GitRefName.check("main\u007f")).hasMessage(
                "ref 'main\\x7f' is not a valid git ref name: it contains a control character (\\x7f)");
        assertThatThrownBy(() -> GitRefName.check("")).hasMessage("ref '' is not a valid git ref name: it is empty");
        assertThatThrownBy(() -> GitRefName.check(null)).hasMessage("ref (none) is not a valid git ref name: it is empty");
        assertThatThrownBy(() -> GitRefName.check("a".repeat(256))).hasMessageEndingWith("it is longer than 255 bytes");
        assertThat(GitRefName.check("a".repeat(255))).hasSize(255);
    }

    /** Names where git's rules are subtle; ours must agree with git on each, except where we are documented stricter. */
    private static final List<String> TRICKY = List.of("main", "a/b", "a.b", ".a", "a.", "a/.b", "a/b.", "a..b", "a.lock", "a/b.lock",
            "a.lock/b", "a.lockx", "lock", ".lock", "@", "@a", "a@", "a@{", "a@{b", "@{", "a/@/b", "a//b", "/a", "a/", "a b", "a\tb",
            "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a]b", "a\\b", "a{b}", "a}b", "a-b", "-a", "a/-b", "a..", "...", "a/./b",
            "refs/heads/main", "HEAD", "v1.2.3", "caf\u00e9", "a\u007fb", "a$b", "a;b", "a#b", "a=b", "a,b", "a+b", "a%b");

    @Test
    void agreesWithGitCheckRefFormat() throws Exception {
        assumeTrue(gitAvailable(), "git is not installed");
        List<String> disagreements = new ArrayList<>();
        for (String name : TRICKY) {
            boolean git = gitAccepts(name);
            boolean expected = git && !GitRefName.stricterThanGit(name);
            if (GitRefName.isValid(name) != expected) {
                disagreements.add("'" + name + "': git " + (git ? "accepts" : "refuses") + ", ours " + (GitRefName.isValid(name) ? "accepts" : "refuses"));
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(TRICKY.stream().filter(GitRefName::stricterThanGit)).as("the stricter rules are exercised")
                .contains("-a", "a$b", "a;b");
    }

    private static boolean gitAvailable() {
        try {
            return new ProcessBuilder("git", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static boolean gitAccepts(String name) throws Exception {
        Path out = Files.createTempFile("check-ref-format", ".out");
        try {
            Process git = new ProcessBuilder("git", "check-ref-format", "--allow-onelevel", name)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return git.exitValue() == 0;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
