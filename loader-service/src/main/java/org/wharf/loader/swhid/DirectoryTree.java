package org.wharf.loader.swhid;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a whole directory hierarchy from entries that arrive in archive order and computes the
 * Software Heritage directory id of its root.
 *
 * <p>Only ids are kept, never content, so memory grows with the number of entries, not with the
 * size of the files. Paths are raw bytes separated by {@code /}; {@code .} segments, repeated or
 * trailing slashes and a leading {@code ./} are ignored because extracting the archive would land
 * on the same file. A later entry for the same file path replaces the earlier one, as it would on
 * extraction.
 *
 * <p>Not thread-safe.
 */
public final class DirectoryTree {

    private sealed interface Node permits Dir, Leaf {
    }

    /**
     * Children are keyed by the name decoded as ISO-8859-1: a lossless one-char-per-byte mapping,
     * so arbitrary (non-UTF-8) names stay distinct and the key is as compact as the bytes.
     */
    private static final class Dir implements Node {
        final Map<String, Node> children = new HashMap<>();
        ObjectId id;
    }

    private record Leaf(GitObjectHasher.Mode mode, ObjectId id) implements Node {
    }

    private final Dir root = new Dir();
    private int entryCount;

    /** Records a regular file; {@code executable} picks mode 100755 over 100644. */
    public DirectoryTree addFile(byte[] path, boolean executable, ObjectId id) {
        Objects.requireNonNull(id, "id");
        addLeaf(path, new Leaf(executable ? GitObjectHasher.Mode.EXECUTABLE : GitObjectHasher.Mode.FILE, id));
        return this;
    }

    /** Records a symbolic link; {@code id} is the blob id of the link target's bytes. */
    public DirectoryTree addSymlink(byte[] path, ObjectId id) {
        Objects.requireNonNull(id, "id");
        addLeaf(path, new Leaf(GitObjectHasher.Mode.SYMLINK, id));
        return this;
    }

    /**
     * Records a directory, so that it is kept even if nothing is ever put in it (Software Heritage
     * keeps empty directories, unlike a git index). The root itself ({@code ""}, {@code ./}) is
     * accepted and changes nothing.
     */
    public DirectoryTree addDirectory(byte[] path) {
        List<String> segments = segments(path);
        Dir dir = root;
        for (int i = 0; i < segments.size(); i++) {
            dir = childDirectory(dir, segments, i, path);
        }
        return this;
    }

    /** Number of files, symlinks and directories recorded (intermediate directories included). */
    public int entryCount() {
        return entryCount;
    }

    /** Computes the id of every directory, deepest first, and returns the root's. */
    public ObjectId rootId() {
        return rootId(ContentSink.NONE);
    }

    /** As {@link #rootId()}, handing each directory to {@code sink} once its id is known (children first). */
    public ObjectId rootId(ContentSink sink) {
        // An explicit stack rather than recursion: a hostile archive can nest thousands of levels.
        List<Dir> preOrder = new ArrayList<>();
        Deque<Dir> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Dir dir = pending.pop();
            preOrder.add(dir);
            for (Node child : dir.children.values()) {
                if (child instanceof Dir sub) {
                    pending.push(sub);
                }
            }
        }
        // Pre-order puts every directory before its descendants, so walking it backwards
        // always finds the children's ids already computed.
        for (int i = preOrder.size() - 1; i >= 0; i--) {
            Dir dir = preOrder.get(i);
            List<GitObjectHasher.TreeEntry> entries = new ArrayList<>(dir.children.size());
            for (Map.Entry<String, Node> child : dir.children.entrySet()) {
                byte[] name = child.getKey().getBytes(StandardCharsets.ISO_8859_1);
                if (child.getValue() instanceof Dir sub) {
                    entries.add(new GitObjectHasher.TreeEntry(GitObjectHasher.Mode.DIRECTORY, name, sub.id));
                } else {
                    Leaf leaf = (Leaf) child.getValue();
                    entries.add(new GitObjectHasher.TreeEntry(leaf.mode(), name, leaf.id()));
                }
            }
            entries.sort(GitObjectHasher.TREE_ORDER);
            dir.id = GitObjectHasher.treeId(entries);
            sink.directory(dir.id, entries);
        }
        return root.id;
    }

    private void addLeaf(byte[] path, Leaf leaf) {
        List<String> segments = segments(path);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a file needs a non-empty path: '" + Names.printable(path) + "'");
        }
        Dir dir = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            dir = childDirectory(dir, segments, i, path);
        }
        String name = segments.get(segments.size() - 1);
        Node previous = dir.children.get(name);
        if (previous instanceof Dir) {
            throw new IllegalArgumentException("path is both a file and a directory: " + Names.printable(path));
        }
        dir.children.put(name, leaf);
        if (previous == null) {
            entryCount++;
        }
    }

    private Dir childDirectory(Dir parent, List<String> segments, int index, byte[] path) {
        String name = segments.get(index);
        Node child = parent.children.get(name);
        if (child == null) {
            Dir created = new Dir();
            parent.children.put(name, created);
            entryCount++;
            return created;
        }
        if (child instanceof Dir existing) {
            return existing;
        }
        String prefix = String.join("/", segments.subList(0, index + 1));
        throw new IllegalArgumentException("path is both a file and a directory: "
                + Names.printable(prefix.getBytes(StandardCharsets.ISO_8859_1))
                + " (while adding " + Names.printable(path) + ")");
    }

    /** Splits a raw path into ISO-8859-1 keyed segments, rejecting anything that could escape the root. */
    private static List<String> segments(byte[] path) {
        Objects.requireNonNull(path, "path");
        if (path.length > 0 && path[0] == '/') {
            throw new IllegalArgumentException("absolute path not allowed: " + Names.printable(path));
        }
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i < path.length && path[i] == 0) {
                throw new IllegalArgumentException("path contains a NUL byte: " + Names.printable(path));
            }
            if (i == path.length || path[i] == '/') {
                int length = i - start;
                boolean dot = length == 1 && path[start] == '.';
                boolean dotDot = length == 2 && path[start] == '.' && path[start + 1] == '.';
                if (dotDot) {
                    throw new IllegalArgumentException("path contains a '..' segment: " + Names.printable(path));
                }
                if (length > 0 && !dot) {
                    segments.add(new String(path, start, length, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return segments;
    }
}
