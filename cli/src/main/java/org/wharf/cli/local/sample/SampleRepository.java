package org.wharf.cli.local.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.wharf.common.infra.Folders;

/**
 * The sample application's git repository: a bare repository ({@code sample.git}) with one commit on
 * {@code main}, made with the {@code git} command the first time and reused afterwards. The commit's author,
 * committer and dates are fixed, so that it has the same id on every machine.
 * <ul>
 *   <li>{@code bin/build}: writes {@code public/version} (the commit, and the greeting of the shared {@code .env});</li>
 *   <li>{@code bin/migrate}: appends the release to {@code shared/migrations.log};</li>
 *   <li>{@code bin/restart SERVICE}: writes {@code restarted-SERVICE} (when, which release) beside {@code current};</li>
 *   <li>{@code public/health}, {@code public/index.html}: what the sample site serves.</li>
 * </ul>
 */
public final class SampleRepository {

    public static final String BRANCH = "main";
    private static final String AUTHOR = "Wharf sample";
    private static final String EMAIL = "sample@wharf.invalid";
    private static final String DATE = "2026-01-01T00:00:00Z";

    /** The files of the commit, by path; scripts (under bin/) are executable. */
    static final Map<String, String> FILES = files();

    private SampleRepository() {
    }

    /** Makes the bare repository at {@code repository} unless it is there already; answers its path. */
    public static Path prepare(Path repository) {
        if (Files.isRegularFile(repository.resolve("HEAD"))) {
            return repository;
        }
        Path parent = repository.toAbsolutePath().getParent();
        Path bare = null;
        Path source = null;
        try {
            Files.createDirectories(parent);
            // Built beside it, then renamed into place: a stopped `local up` leaves no half-made repository.
            bare = Files.createTempDirectory(parent, ".sample.git-");
            source = Files.createTempDirectory(parent, ".sample-source-");
            for (Map.Entry<String, String> file : FILES.entrySet()) {
                Path path = source.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        file.getKey().startsWith("bin/") ? "rwxr-xr-x" : "rw-r--r--"));
            }
            git(parent, "init", "--quiet", "--bare", "--initial-branch=" + BRANCH, bare.toString());
            git(source, "init", "--quiet", "--initial-branch=" + BRANCH);
            git(source, "add", "--all");
            git(source, "commit", "--quiet", "--no-gpg-sign", "--message", "The sample application");
            git(source, "push", "--quiet", bare.toString(), BRANCH);
            Files.move(bare, repository, StandardCopyOption.ATOMIC_MOVE);
            bare = null;
            return repository;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the sample repository " + repository + ": " + e.getMessage(), e);
        } finally {
            Folders.deleteRecursively(bare);
            Folders.deleteRecursively(source);
        }
    }

    /** Runs git in {@code folder} apart from the user's and the system's git configuration; its first output line on failure. */
    static String git(Path folder, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("GIT_CONFIG_NOSYSTEM", "1");
        environment.put("GIT_CONFIG_GLOBAL", "/dev/null");
        environment.put("GIT_AUTHOR_NAME", AUTHOR);
        environment.put("GIT_AUTHOR_EMAIL", EMAIL);
        environment.put("GIT_AUTHOR_DATE", DATE);
        environment.put("GIT_COMMITTER_NAME", AUTHOR);
        environment.put("GIT_COMMITTER_EMAIL", EMAIL);
        environment.put("GIT_COMMITTER_DATE", DATE);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("git " + arguments[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("git " + arguments[0] + " failed (exit " + process.exitValue() + "): "
                        + output.strip().lines().findFirst().orElse(""));
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run git (is it installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running git " + arguments[0]);
        }
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        // Each script works from the release it belongs to, whatever folder it is started from.
        files.put("bin/build", """
                #!/bin/sh
                # Builds the release: here, a page naming the commit and the shared configuration's greeting.
                set -e
                cd "$(dirname "$0")/.."
                . ./.env
                mkdir -p public
                printf '%s\\n%s\\n' "$(git rev-parse HEAD)" "$GREETING" > public/version
                """);
        files.put("bin/migrate", """
                #!/bin/sh
                # Migrates before the switch: here, one line per release in the shared migration log.
                set -e
                cd "$(dirname "$0")/.."
                echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) migrated for $(basename "$(pwd -P)")" >> ../../shared/migrations.log
                """);
        files.put("bin/restart", """
                #!/bin/sh
                # Restarts one service ($1) after the switch: here, a file beside current saying when and to which release.
                set -e
                cd "$(dirname "$0")/.."
                echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $(basename "$(pwd -P)")" > "../../restarted-$1"
                """);
        files.put("public/health", "ok\n");
        files.put("public/index.html", """
                <!doctype html>
                <title>Wharf sample</title>
                <p>The sample application of <code>wharf local up</code>, deployed by <code>wharf deploy run sample staging</code>.
                See <a href="version">version</a>.</p>
                """);
        return files;
    }
}
