package org.wharf.deploy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.deploy.ssh.SshOptions;
import org.wharf.deploy.ssh.SshSession;
import org.wharf.deploy.testsupport.SshTestHost;

/** Release folders on a real SSH host (a real shell, real git): fetch, shared links, the atomic switch, pruning. */
class ReleaseFoldersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private Path repository;
    private Path root;
    private SshSession session;
    private ReleaseFolders folders;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(gitAvailable(), "git is needed");
        repository = Files.createDirectory(temp.resolve("app.git"));
        git(repository, "init", "--quiet", "--initial-branch=main");
        Files.writeString(repository.resolve("app.txt"), "v1\n");
        git(repository, "add", "app.txt");
        git(repository, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "v1");
        git(repository, "tag", "v1");
        Files.writeString(repository.resolve("app.txt"), "v2\n");
        git(repository, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-am", "v2");
        root = temp.resolve("srv/app");
        session = SshSession.open(SshTestHost.shared().sshHost(), SshOptions.DEFAULTS);
        folders = new ReleaseFolders(session, root.toString(), TIMEOUT);
    }

    @AfterEach
    void tearDown() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void aReleaseIsFetchedAtItsRefLinkedToSharedFilesAndSwitchedTo() throws Exception {
        String commit = folders.fetch("20261202030000", repository.toString(), "main");

        assertThat(commit).isEqualTo(git(repository, "rev-parse", "main").strip());
        Path release = root.resolve("releases/20261202030000");
        assertThat(release.resolve("app.txt")).hasContent("v2");
        assertThat(folders.current()).isEmpty();

        Files.writeString(Files.createDirectories(root.resolve("shared")).resolve(".env"), "SECRET=1\n");
        Files.createDirectories(root.resolve("shared/media"));
        folders.linkShared("20261202030000", List.of(".env", "media/"));
        assertThat(Files.isSymbolicLink(release.resolve(".env"))).isTrue();
        assertThat(release.resolve(".env")).hasContent("SECRET=1");
        assertThat(Files.isSymbolicLink(release.resolve("media"))).isTrue();

        folders.switchTo("20261202030000");
        assertThat(folders.current()).contains("20261202030000");
        assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/20261202030000"));
        assertThat(root.resolve("current/app.txt")).hasContent("v2");

        // a tag, into a second release, then current switched over the first: no temporary link stays
        String tagged = folders.fetch("20261202030100", repository.toString(), "v1");
        assertThat(tagged).isEqualTo(git(repository, "rev-parse", "v1^{commit}").strip());
        folders.switchTo("20261202030100");
        assertThat(root.resolve("current/app.txt")).hasContent("v1");
        try (var entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("releases", "shared", "current");
        }
    }

    @Test
    void eachKindOfRefResolvesAsGitFetchWouldResolveIt() throws Exception {
        String v1 = git(repository, "rev-parse", "v1^{commit}").strip();
        String v2 = git(repository, "rev-parse", "main").strip();
        // a branch and a tag of the same name: git resolves a short name to the tag first
        git(repository, "branch", "both", "main");
        git(repository, "tag", "both", "v1");
        // a tag on a commit no branch reaches: a clone does not hold it, so it is fetched by name
        git(repository, "checkout", "--quiet", "--detach", "v1");
        Files.writeString(repository.resolve("app.txt"), "loose\n");
        git(repository, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-am", "loose");
        String loose = git(repository, "rev-parse", "HEAD").strip();
        git(repository, "tag", "-a", "-m", "an annotated tag", "unreachable");
        git(repository, "checkout", "--quiet", "main");

        assertThat(folders.fetch("20261202040000", repository.toString(), "both")).isEqualTo(v1);
        assertThat(folders.fetch("20261202040100", repository.toString(), "refs/heads/both")).isEqualTo(v2);
        assertThat(folders.fetch("20261202040200", repository.toString(), "unreachable")).isEqualTo(loose);
        assertThat(root.resolve("releases/20261202040200/app.txt")).hasContent("loose");
        assertThat(folders.fetch("20261202040300", repository.toString(), "tags/v1")).isEqualTo(v1);
        assertThat(root.resolve("releases/20261202040000/app.txt")).hasContent("v1");
        assertThat(root.resolve("releases/20261202040100/app.txt")).hasContent("v2");
    }

    @Test
    void aMissingSharedFileRefusesTheStepAndLinksNothing() throws Exception {
        folders.fetch("20261202030000", repository.toString(), "main");
        Files.createDirectories(root.resolve("shared/media"));

        assertThatThrownBy(() -> folders.linkShared("20261202030000", List.of("media/", ".env")))
                .isInstanceOf(ReleaseStepFailed.class)
                .hasMessageContaining("exit 2").hasMessageContaining("missing in " + root.resolve("shared") + ": .env");
        assertThat(root.resolve("releases/20261202030000/media")).doesNotExist();
    }

    @Test
    void anUnknownRefFailsTheFetchAndARefIsNeverAShellWord() throws Exception {
        assertThatThrownBy(() -> folders.fetch("20261202030000", repository.toString(), "no-such-branch"))
                .isInstanceOf(ReleaseStepFailed.class).hasMessageStartingWith("fetch on ");
        // Refs are validated before they get here; still, the quoting alone keeps a hostile one a single word.
        Path marker = temp.resolve("marker");
        assertThatThrownBy(() -> folders.fetch("20261202030100", repository.toString(), "x'; touch " + marker + "; '"))
                .isInstanceOf(ReleaseStepFailed.class);
        assertThat(marker).doesNotExist();
    }

    @Test
    void pruningKeepsTheNewestAndNeverTheProtectedOnes() throws Exception {
        for (String release : List.of("20261201000000", "20261201000100", "20261201000200", "20261201000300", "20261201000400")) {
            Files.createDirectories(root.resolve("releases").resolve(release));
        }

        List<String> removed = folders.prune(2, Set.of("20261201000000", "20261201000400"));

        assertThat(removed).containsExactly("20261201000100", "20261201000200", "20261201000300");
        assertThat(folders.releases()).containsExactly("20261201000000", "20261201000400");
        assertThat(folders.prune(2, Set.of())).isEmpty();
    }

    @Test
    void releaseNamesAreTimesAndNothingElse() {
        assertThatThrownBy(() -> folders.remove("../../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReleaseFolders(session, "relative/path", TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ReleaseFolders.nameFor(Instant.parse("2026-12-02T03:04:05Z"))).isEqualTo("20261202030405");
    }

    private static boolean gitAvailable() {
        try {
            return new ProcessBuilder("git", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
