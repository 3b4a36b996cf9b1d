package org.wharf.common.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder chores of the local and test infrastructure. */
public final class Folders {

    private Folders() {
    }

    /** Best effort: a temporary folder left behind is harmless, a failing shutdown is not. */
    public static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // ignored, see above
        }
    }
}
