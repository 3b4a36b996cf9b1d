package org.wharf.loader.swhid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wharf.loader.swhid.GitObjectHasher.Mode;
import org.wharf.loader.swhid.GitObjectHasher.TreeEntry;

class GitObjectHasherTest {

    @TempDir
    Path home;

    private Git git;

    @BeforeAll
    static void needsGit() {
        assumeTrue(Git.available(), "git is needed as the reference implementation");
    }

    @BeforeEach
    void setUp() {
        git = new Git(home);
    }

    @Test
    void emptyBlobMatchesGit() throws Exception {
        ObjectId ours = GitObjectHasher.blobId(new byte[0]);
        assertThat(ours).isEqualTo(git.hashObject(new byte[0]));
        // The well-known value, checked against git above rather than trusted.
        assertThat(ours.hex()).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    @Test
    void emptyTreeMatchesGit() throws Exception {
        ObjectId ours = GitObjectHasher.treeId(List.of());
        assertThat(ours).isEqualTo(git.hashEmptyTree()).isEqualTo(GitObjectHasher.EMPTY_TREE_ID);
        assertThat(ours.hex()).isEqualTo("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 65_535, 65_536, 65_537, 200_001})
    void blobIdMatchesGitInMemoryAndStreaming(int size) throws Exception {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        ObjectId expected = git.hashObject(content);
        assertThat(GitObjectHasher.blobId(content)).isEqualTo(expected);
        assertThat(GitObjectHasher.blobId(size, new ByteArrayInputStream(content))).isEqualTo(expected);
        assertThat(GitObjectHasher.blobId(size, trickle(content))).isEqualTo(expected);
    }

    @Test
    void streamingRejectsAStreamShorterThanDeclared() {
        assertThatThrownBy(() -> GitObjectHasher.blobId(10, new ByteArrayInputStream(new byte[9])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("declared size is 10");
    }

    @Test
    void streamingRejectsAStreamLongerThanDeclared() {
        assertThatThrownBy(() -> GitObjectHasher.blobId(10, new ByteArrayInputStream(new byte[11])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("longer than its declared size");
    }

    @Test
    void streamingRejectsNegativeSize() {
        assertThatThrownBy(() -> GitObjectHasher.blobId(-1, new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void symlinkIsTheBlobOfItsTarget() throws Exception {
        byte[] target = "../some/where".getBytes(StandardCharsets.UTF_8);
        assertThat(GitObjectHasher.symlinkId(target)).isEqualTo(git.hashObject(target));
    }

    @Test
    void treeOrderAppendsSlashToDirectoryNames() {
        ObjectId any = GitObjectHasher.blobId(new byte[0]);
        List<TreeEntry> entries = new ArrayList<>(List.of(
                new TreeEntry(Mode.FILE, bytes("a0"), any),
                new TreeEntry(Mode.DIRECTORY, bytes("a"), GitObjectHasher.EMPTY_TREE_ID),
                new TreeEntry(Mode.FILE, bytes("a.b"), any),
                new TreeEntry(Mode.FILE, bytes("a-b"), any)));
        entries.sort(GitObjectHasher.TREE_ORDER);
        assertThat(entries).extracting(e -> new String(e.name(), StandardCharsets.UTF_8))
                .containsExactly("a-b", "a.b", "a", "a0");
    }

    @Test
    void treeIdMatchesGitMktreeWhateverTheInputOrder() throws Exception {
        ObjectId blob = GitObjectHasher.blobId(bytes("x\n"));
        ObjectId other = GitObjectHasher.blobId(bytes("y\n"));
        ObjectId subtree = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.FILE, bytes("f"), blob)));
        List<TreeEntry> entries = new ArrayList<>(List.of(
                new TreeEntry(Mode.DIRECTORY, bytes("a"), subtree),
                new TreeEntry(Mode.FILE, bytes("a.b"), blob),
                new TreeEntry(Mode.FILE, bytes("a-b"), other),
                new TreeEntry(Mode.EXECUTABLE, bytes("a0"), blob),
                new TreeEntry(Mode.SYMLINK, bytes("link"), other),
                new TreeEntry(Mode.DIRECTORY, bytes("empty"), GitObjectHasher.EMPTY_TREE_ID),
                new TreeEntry(Mode.FILE, new byte[] {(byte) 0xff, 'f'}, blob), // unsigned: after ASCII
                new TreeEntry(Mode.FILE, bytes("é"), other),
                new TreeEntry(Mode.FILE, bytes("B"), blob)));
        ObjectId expected = git.mktree(entries);
        Random random = new Random(7);
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(entries, random);
            assertThat(GitObjectHasher.treeId(entries)).isEqualTo(expected);
        }
    }

    @Test
    void modeChangesTheTreeId() {
        ObjectId blob = GitObjectHasher.blobId(bytes("x"));
        ObjectId plain = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.FILE, bytes("f"), blob)));
        ObjectId exec = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.EXECUTABLE, bytes("f"), blob)));
        ObjectId link = GitObjectHasher.treeId(List.of(new TreeEntry(Mode.SYMLINK, bytes("f"), blob)));
        assertThat(plain).isNotEqualTo(exec).isNotEqualTo(link);
        assertThat(exec).isNotEqualTo(link);
        assertThat(Mode.DIRECTORY.text()).isEqualTo("40000");
    }

    @Test
    void rejectsDuplicateNames() {
        ObjectId blob = GitObjectHasher.blobId(bytes("x"));
        List<TreeEntry> entries = List.of(
                new TreeEntry(Mode.FILE, bytes("same"), blob),
                new TreeEntry(Mode.EXECUTABLE, bytes("same"), blob));
        assertThatThrownBy(() -> GitObjectHasher.treeId(entries))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate")
                .hasMessageContaining("same");
    }

    @Test
    void rejectsNamesGitCannotStore() {
        ObjectId blob = GitObjectHasher.blobId(bytes("x"));
        for (byte[] bad : List.of(new byte[0], bytes("."), bytes(".."), bytes("a/b"), new byte[] {'a', 0})) {
            assertThatThrownBy(() -> new TreeEntry(Mode.FILE, bad, blob))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out at most 3 bytes per read, as a slow network stream might. */
    private static InputStream trickle(byte[] content) {
        return new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
    }
}
