package org.wharf.loader.swhid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.loader.swhid.GitObjectHasher.Mode;
import org.wharf.loader.swhid.GitObjectHasher.TreeEntry;

class DirectoryTreeTest {

    private static final ObjectId X = GitObjectHasher.blobId(bytes("x\n"));
    private static final ObjectId Y = GitObjectHasher.blobId(bytes("y\n"));

    @TempDir
    Path temp;

    @Test
    void emptyTreeIsGitsEmptyTree() {
        assertThat(new DirectoryTree().rootId()).isEqualTo(GitObjectHasher.EMPTY_TREE_ID);
    }

    @Test
    void matchesGitWriteTreeOnAGeneratedTree() throws Exception {
        assumeTrue(Git.available(), "git is needed as the reference implementation");
        Path root = Files.createDirectory(temp.resolve("tree"));
        ArchiveFixtures.createSampleTree(root);
        DirectoryTree tree = new DirectoryTree();
        for (Path path : ArchiveFixtures.walk(root)) {
            byte[] name = bytes(ArchiveFixtures.relativeName(root, path));
            if (Files.isSymbolicLink(path)) {
                tree.addSymlink(name, GitObjectHasher.symlinkId(bytes(Files.readSymbolicLink(path).toString())));
            } else if (Files.isDirectory(path)) {
                tree.addDirectory(name);
            } else {
                boolean exec = (ArchiveFixtures.permissions(path) & 0100) != 0;
                tree.addFile(name, exec, GitObjectHasher.blobId(Files.readAllBytes(path)));
            }
        }
        ObjectId ours = tree.rootId();
        assertThat(ours).isEqualTo(new Git(Files.createDirectory(temp.resolve("home"))).writeTree(root));
    }

    @Test
    void insertionOrderDoesNotMatter() {
        List<Consumer<DirectoryTree>> steps = new ArrayList<>(List.of(
                t -> t.addFile(bytes("a/b/c.txt"), false, X),
                t -> t.addFile(bytes("a/b.txt"), true, Y),
                t -> t.addDirectory(bytes("a/b/")),
                t -> t.addSymlink(bytes("a/link"), Y),
                t -> t.addFile(bytes("a-b"), false, X),
                t -> t.addFile(bytes("a0"), false, X),
                t -> t.addDirectory(bytes("z/empty"))));
        ObjectId first = build(steps);
        Random random = new Random(3);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(steps, random);
            assertThat(build(steps)).isEqualTo(first);
        }
    }

    @Test
    void intermediateDirectoriesAreImplicit() {
        ObjectId ours = new DirectoryTree().addFile(bytes("a/b/c"), false, X).rootId();
        ObjectId b = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.FILE, bytes("c"), X)));
        ObjectId a = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.DIRECTORY, bytes("b"), b)));
        ObjectId root = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.DIRECTORY, bytes("a"), a)));
        assertThat(ours).isEqualTo(root);
    }

    @Test
    void explicitEmptyDirectoriesAreKept() throws Exception {
        ObjectId ours = new DirectoryTree().addFile(bytes("f"), false, X).addDirectory(bytes("empty/")).rootId();
        List<TreeEntry> expected = List.of(
                new TreeEntry(Mode.FILE, bytes("f"), X),
                new TreeEntry(Mode.DIRECTORY, bytes("empty"), GitObjectHasher.EMPTY_TREE_ID));
        assertThat(ours).isEqualTo(GitObjectHasher.treeId(expected))
                .isNotEqualTo(new DirectoryTree().addFile(bytes("f"), false, X).rootId());
        if (Git.available()) {
            assertThat(ours).isEqualTo(new Git(temp).mktree(expected));
        }
    }

    @Test
    void toleratesDotSlashRepeatedAndTrailingSlashes() {
        ObjectId plain = new DirectoryTree()
                .addFile(bytes("a/b"), false, X).addDirectory(bytes("a/c")).addSymlink(bytes("a/d"), Y).rootId();
        ObjectId sloppy = new DirectoryTree()
                .addDirectory(bytes("./"))
                .addFile(bytes("./a/b"), false, X).addDirectory(bytes("a//c/")).addSymlink(bytes("a/./d"), Y).rootId();
        assertThat(sloppy).isEqualTo(plain);
    }

    @Test
    void laterFileEntryReplacesEarlierOneLikeExtractionWould() {
        ObjectId replaced = new DirectoryTree().addFile(bytes("f"), false, X).addSymlink(bytes("f"), Y).rootId();
        assertThat(replaced).isEqualTo(new DirectoryTree().addSymlink(bytes("f"), Y).rootId());
    }

    @Test
    void namesAreRawBytes() {
        ObjectId ff = new DirectoryTree().addFile(new byte[] {(byte) 0xff, 'f'}, false, X).rootId();
        ObjectId fe = new DirectoryTree().addFile(new byte[] {(byte) 0xfe, 'f'}, false, X).rootId();
        ObjectId expected = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.FILE, new byte[] {(byte) 0xff, 'f'}, X)));
        assertThat(ff).isEqualTo(expected).isNotEqualTo(fe);
    }

    @Test
    void rejectsPathsThatEscapeTheRoot() {
        DirectoryTree tree = new DirectoryTree();
        assertThatThrownBy(() -> tree.addFile(bytes("../evil"), false, X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("..").hasMessageContaining("../evil");
        assertThatThrownBy(() -> tree.addFile(bytes("a/../../evil"), false, X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/../../evil");
        assertThatThrownBy(() -> tree.addDirectory(bytes("a/..")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.addSymlink(bytes("/etc/passwd"), X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute").hasMessageContaining("/etc/passwd");
        assertThatThrownBy(() -> tree.addFile(new byte[] {'a', 0, 'b'}, false, X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> tree.addFile(bytes("./"), false, X))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.rootId()).isEqualTo(GitObjectHasher.EMPTY_TREE_ID);
    }

    @Test
    void rejectsAPathThatIsBothFileAndDirectory() {
        assertThatThrownBy(() -> new DirectoryTree().addFile(bytes("a"), false, X).addFile(bytes("a/b"), false, X))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both a file and a directory").hasMessageContaining("a/b");
        assertThatThrownBy(() -> new DirectoryTree().addFile(bytes("a/b"), false, X).addFile(bytes("a"), false, X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both a file and a directory");
        assertThatThrownBy(() -> new DirectoryTree().addDirectory(bytes("a")).addSymlink(bytes("a/"), X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both a file and a directory");
        assertThatThrownBy(() -> new DirectoryTree().addSymlink(bytes("link"), X).addDirectory(bytes("link/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both a file and a directory");
    }

    @Test
    void veryDeepPathsDoNotOverflowTheStack() {
        int depth = 20_000;
        byte[] path = bytes("d/".repeat(depth) + "leaf");
        ObjectId ours = new DirectoryTree().addFile(path, false, X).rootId();
        ObjectId expected = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.FILE, bytes("leaf"), X)));
        for (int i = 0; i < depth; i++) {
            expected = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.DIRECTORY, bytes("d"), expected)));
        }
        assertThat(ours).isEqualTo(expected);
    }

    @Test
    void countsEntriesIncludingImplicitDirectories() {
        DirectoryTree tree = new DirectoryTree().addFile(bytes("a/b/c"), false, X).addFile(bytes("a/d"), false, X)
                .addFile(bytes("a/d"), true, Y);
        assertThat(tree.entryCount()).isEqualTo(4); // a, a/b, a/b/c, a/d
    }

    private static ObjectId build(List<Consumer<DirectoryTree>> steps) {
        DirectoryTree tree = new DirectoryTree();
        steps.forEach(step -> step.accept(tree));
        return tree.rootId();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
