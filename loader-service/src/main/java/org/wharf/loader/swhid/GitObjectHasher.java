package org.wharf.loader.swhid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The git object ids that Software Heritage uses as SWHIDs for contents ({@code swh:1:cnt:}) and
 * directories ({@code swh:1:dir:}). Both are plain git blob and tree ids, so any divergence from
 * git's serialisation (header, entry order, mode spelling) yields an id nobody else can reproduce.
 */
public final class GitObjectHasher {

    /** The id of the tree with no entries, a constant of git itself. */
    public static final ObjectId EMPTY_TREE_ID =
            ObjectId.fromHex("4b825dc642cb6eb9a060e54bf8d69288fbee4904");

    private static final int BUFFER_SIZE = 64 * 1024;

    /** Kind of a tree entry, with the exact mode text git writes into tree objects. */
    public enum Mode {
        /** Regular file. */
        FILE("100644"),
        /** Regular file with any execute bit set (Software Heritage's rule). */
        EXECUTABLE("100755"),
        /** Symbolic link; the blob holds the link target. */
        SYMLINK("120000"),
        /** Sub-directory. Git writes no leading zero here, unlike in {@code ls-tree} output. */
        DIRECTORY("40000");

        private final byte[] ascii;

        Mode(String text) {
            this.ascii = text.getBytes(StandardCharsets.US_ASCII);
        }

        /** The mode as it appears inside a tree object. */
        public String text() {
            return new String(ascii, StandardCharsets.US_ASCII);
        }
    }

    /**
     * One entry of a tree object.
     *
     * @param mode what the entry is
     * @param name raw name bytes (not necessarily UTF-8); no {@code /}, no NUL, not {@code .} or {@code ..}
     * @param id the blob or tree id the entry points to
     */
    public record TreeEntry(Mode mode, byte[] name, ObjectId id) {

        public TreeEntry {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(id, "id");
            name = name.clone();
            validateName(name);
        }

        @Override
        public byte[] name() {
            return name.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TreeEntry that
                    && mode == that.mode
                    && Arrays.equals(name, that.name)
                    && id.equals(that.id);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * mode.hashCode() + Arrays.hashCode(name)) + id.hashCode();
        }

        @Override
        public String toString() {
            return mode.text() + " " + Names.printable(name) + " " + id;
        }
    }

    /**
     * Git's tree order: unsigned byte comparison where a directory's name counts as if it ended
     * with {@code /}. That is why {@code a-b < a.b < a/ < a0}: a plain byte sort would put the
     * directory {@code a} first and produce a tree git considers malformed, with another id.
     */
    public static final Comparator<TreeEntry> TREE_ORDER = GitObjectHasher::compareTreeOrder;

    private GitObjectHasher() {
    }

    /** The blob id of in-memory content. */
    public static ObjectId blobId(byte[] content) {
        Objects.requireNonNull(content, "content");
        MessageDigest sha1 = newSha1();
        sha1.update(header("blob", content.length));
        sha1.update(content);
        return new ObjectId(sha1.digest());
    }

    /**
     * The blob id of content read from a stream, whose size must be known beforehand because git
     * puts it in the header that is hashed first. Reads exactly {@code size} bytes, then checks
     * that the stream is exhausted, so that a wrong size is an error rather than a wrong id. The
     * stream is not closed.
     *
     * @throws IOException if reading fails or the stream holds fewer or more than {@code size} bytes
     */
    public static ObjectId blobId(long size, InputStream content) throws IOException {
        return blobId(size, content, ContentSink.Content.DISCARD);
    }

    /**
     * As {@link #blobId(long, InputStream)}, handing every byte read to {@code copy} as well, so that
     * content can be stored in the same pass that hashes it.
     */
    public static ObjectId blobId(long size, InputStream content, ContentSink.Content copy) throws IOException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(copy, "copy");
        if (size < 0) {
            throw new IllegalArgumentException("negative content size: " + size);
        }
        MessageDigest sha1 = newSha1();
        sha1.update(header("blob", size));
        byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, Math.max(size, 1))];
        long remaining = size;
        while (remaining > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new IOException("content ended after " + (size - remaining)
                        + " bytes but its declared size is " + size + " bytes");
            }
            sha1.update(buffer, 0, n);
            copy.write(buffer, 0, n);
            remaining -= n;
        }
        if (content.read() >= 0) {
            throw new IOException("content is longer than its declared size of " + size + " bytes");
        }
        return new ObjectId(sha1.digest());
    }

    /** A symlink is stored as a blob of its target path's raw bytes. */
    public static ObjectId symlinkId(byte[] target) {
        return blobId(target);
    }

    /**
     * The tree id of a directory with these entries, in any order.
     *
     * @throws IllegalArgumentException if two entries have the same name
     */
    public static ObjectId treeId(Collection<TreeEntry> entries) {
        List<TreeEntry> sorted = new ArrayList<>(entries);
        sorted.sort(TREE_ORDER);
        long bodyLength = 0;
        for (int i = 0; i < sorted.size(); i++) {
            TreeEntry entry = sorted.get(i);
            if (i > 0 && Arrays.equals(sorted.get(i - 1).name, entry.name)) {
                throw new IllegalArgumentException(
                        "duplicate tree entry name: " + Names.printable(entry.name));
            }
            bodyLength += entry.mode.ascii.length + 1 + entry.name.length + 1 + ObjectId.LENGTH;
        }
        // The body is fed straight into the digest: a large directory costs no extra buffer.
        MessageDigest sha1 = newSha1();
        sha1.update(header("tree", bodyLength));
        for (TreeEntry entry : sorted) {
            sha1.update(entry.mode.ascii);
            sha1.update((byte) ' ');
            sha1.update(entry.name);
            sha1.update((byte) 0);
            sha1.update(entry.id.unsafeBytes());
        }
        return new ObjectId(sha1.digest());
    }

    private static int compareTreeOrder(TreeEntry a, TreeEntry b) {
        byte[] x = a.name;
        byte[] y = b.name;
        int common = Math.min(x.length, y.length);
        int cmp = Arrays.compareUnsigned(x, 0, common, y, 0, common);
        if (cmp != 0) {
            return cmp;
        }
        int cx = x.length > common ? x[common] & 0xff : terminator(a);
        int cy = y.length > common ? y[common] & 0xff : terminator(b);
        return Integer.compare(cx, cy);
    }

    private static int terminator(TreeEntry entry) {
        return entry.mode == Mode.DIRECTORY ? '/' : 0;
    }

    static void validateName(byte[] name) {
        if (name.length == 0) {
            throw new IllegalArgumentException("empty tree entry name");
        }
        if ((name.length == 1 && name[0] == '.')
                || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
            throw new IllegalArgumentException("tree entry name cannot be '.' or '..'");
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                throw new IllegalArgumentException(
                        "tree entry name contains '/' or NUL: " + Names.printable(name));
            }
        }
    }

    private static byte[] header(String type, long size) {
        return (type + " " + size + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }
}
