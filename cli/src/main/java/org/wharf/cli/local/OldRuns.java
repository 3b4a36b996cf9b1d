package org.wharf.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.wharf.common.infra.Folders;

/**
 * The {@code run-*} folders that {@code wharf local up} left in {@code ~/.wharf/local} before it kept its
 * state (one per run, each with that run's S3 objects): nothing reads them any more.
 */
final class OldRuns {

    private OldRuns() {
    }

    /** Removes them; says what went, or nothing when there were none. */
    static Optional<String> remove(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        List<Path> runs = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(folder, "run-*")) {
            found.forEach(p -> {
                if (Files.isDirectory(p)) {
                    runs.add(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        long bytes = runs.stream().mapToLong(OldRuns::size).sum();
        runs.forEach(Folders::deleteRecursively);
        long left = runs.stream().filter(Files::exists).count();
        return Optional.of("old runs    removed " + (runs.size() - left) + " throwaway folder(s) of earlier runs ("
                + folder.resolve("run-*") + ", " + bytes / (1024 * 1024) + " MiB; the state is kept now)"
                + (left > 0 ? "; " + left + " could not be removed" : ""));
    }

    private static long size(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
