package org.wharf.loader.swhid;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Release and snapshot ids, and SWHID strings, computed exactly as Software Heritage computes them
 * (swh-model: {@code swh/model/git_objects.py} for the manifests, {@code swh/model/swhids.py} for
 * the strings).
 *
 * <p>A release manifest is a git annotated tag: {@code object}, {@code type}, {@code tag} and
 * (when there is an author) {@code tagger} headers, then a blank line and the message when there
 * is one; its id is the SHA-1 of {@code "tag <length>\0" + manifest}, so a release whose fields a
 * git tag can express has the same id as that tag. A snapshot manifest is Software Heritage's own
 * format and has no git equivalent.
 */
public final class SwhIdentifiers {

    /** Release target types and the git object type each is written as in the {@code type} header. */
    private static final Map<String, String> RELEASE_TARGET_TYPES = Map.of(
            "content", "blob",
            "directory", "tree",
            "revision", "commit",
            "release", "tag",
            "snapshot", "refs");

    /** Snapshot branch target types; {@code alias} targets are branch names, the rest 20-byte ids. */
    private static final Set<String> BRANCH_TARGET_TYPES =
            Set.of("content", "directory", "revision", "release", "snapshot", "alias");

    /** Core SWHID object types. */
    private static final Set<String> SWHID_TYPES = Set.of("cnt", "dir", "rev", "rel", "snp");

    private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private SwhIdentifiers() {
    }

    // ---------------------------------------------------------------- releases

    /**
     * A release's date as Software Heritage stores it: seconds and microseconds since the epoch,
     * and the UTC offset in minutes, where {@code negativeUtc} distinguishes {@code -0000} from
     * {@code +0000} (it is only meaningful when the offset is 0).
     */
    public record Date(long seconds, int microseconds, int offsetMinutes, boolean negativeUtc) {

        public Date {
            if (microseconds < 0 || microseconds > 999_999) {
                throw new IllegalArgumentException("microseconds must be in [0, 999999]: " + microseconds);
            }
            // swh-model's TimestampWithTimezone accepts a signed 16-bit number of minutes.
            if (offsetMinutes < Short.MIN_VALUE || offsetMinutes > Short.MAX_VALUE) {
                throw new IllegalArgumentException("offset too large: " + offsetMinutes + " minutes");
            }
        }

        /**
         * The timestamp as written in a manifest: integer seconds, or {@code seconds.micro} with the
         * six-digit microseconds stripped of trailing zeros ({@code 1448210036.12}).
         */
        public String formattedTimestamp() {
            if (microseconds == 0) {
                return Long.toString(seconds);
            }
            String fraction = String.format("%06d", microseconds).replaceAll("0+$", "");
            return seconds + "." + fraction;
        }

        /** The offset as written in a manifest: {@code [+-]HHMM}, {@code -} for negative offsets and for negative UTC. */
        public String formattedOffset() {
            boolean negative = offsetMinutes < 0 || (offsetMinutes == 0 && negativeUtc);
            int abs = Math.abs(offsetMinutes);
            return String.format("%s%02d%02d", negative ? "-" : "+", abs / 60, abs % 60);
        }
    }

    /**
     * A release. {@code author} null means no {@code tagger} line (and then {@code date} must be
     * null too, as in swh-model); {@code date} null with an author gives a tagger line holding the
     * fullname only; {@code message} null means no blank line and no message, while an empty
     * message still adds the blank line. Byte arrays are copied.
     */
    public record Release(ObjectId target, String targetType, byte[] name, byte[] authorFullname, Date date,
            byte[] message) {

        public Release {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(targetType, "targetType");
            Objects.requireNonNull(name, "name");
            if (!RELEASE_TARGET_TYPES.containsKey(targetType)) {
                throw new IllegalArgumentException("not a release target type: " + targetType
                        + " (expected one of " + new TreeMap<>(RELEASE_TARGET_TYPES).keySet() + ")");
            }
            if (authorFullname == null && date != null) {
                throw new IllegalArgumentException("a release without an author cannot have a date");
            }
            name = name.clone();
            authorFullname = authorFullname == null ? null : authorFullname.clone();
            message = message == null ? null : message.clone();
        }

        @Override
        public byte[] name() {
            return name.clone();
        }

        @Override
        public byte[] authorFullname() {
            return authorFullname == null ? null : authorFullname.clone();
        }

        @Override
        public byte[] message() {
            return message == null ? null : message.clone();
        }

        /** The manifest without the {@code "tag <length>\0"} header: the exact bytes of the git tag object. */
        public byte[] manifest() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            header(out, "object", ascii(target.hex()));
            header(out, "type", ascii(RELEASE_TARGET_TYPES.get(targetType)));
            header(out, "tag", name);
            if (authorFullname != null) {
                ByteArrayOutputStream tagger = new ByteArrayOutputStream();
                tagger.writeBytes(authorFullname);
                if (date != null) {
                    tagger.writeBytes(ascii(" " + date.formattedTimestamp() + " " + date.formattedOffset()));
                }
                header(out, "tagger", tagger.toByteArray());
            }
            if (message != null) {
                out.write('\n');
                out.writeBytes(message);
            }
            return out.toByteArray();
        }

        /** The release id, {@code sha1("tag " + len + "\0" + manifest)}. */
        public ObjectId id() {
            return hashObject("tag", manifest());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Release that && target.equals(that.target) && targetType.equals(that.targetType)
                    && Arrays.equals(name, that.name) && Arrays.equals(authorFullname, that.authorFullname)
                    && Objects.equals(date, that.date) && Arrays.equals(message, that.message);
        }

        @Override
        public int hashCode() {
            return Objects.hash(target, targetType, Arrays.hashCode(name), Arrays.hashCode(authorFullname), date,
                    Arrays.hashCode(message));
        }

        @Override
        public String toString() {
            return "Release[" + swhid("rel", id()) + ", tag=" + Names.printable(name) + "]";
        }
    }

    /**
     * The id of a release with an author and a date; see {@link Release} for the meaning of a null
     * message.
     *
     * @param targetType {@code content}, {@code directory}, {@code revision}, {@code release} or {@code snapshot}
     * @param negativeUtc write a zero offset as {@code -0000}
     */
    public static ObjectId releaseId(ObjectId target, String targetType, byte[] name, byte[] authorFullname,
            long timestampSeconds, int microseconds, int offsetMinutes, boolean negativeUtc, byte[] message) {
        Objects.requireNonNull(authorFullname, "authorFullname");
        return new Release(target, targetType, name, authorFullname,
                new Date(timestampSeconds, microseconds, offsetMinutes, negativeUtc), message).id();
    }

    // --------------------------------------------------------------- snapshots

    /**
     * A snapshot branch target. {@code target} is the 20-byte id of the object for every type but
     * {@code alias}, where it is the name of another branch of the same snapshot. A dangling branch
     * is represented by a null {@code Branch} in the map given to {@link #snapshotId(Map)}.
     */
    public record Branch(String targetType, byte[] target) {

        public Branch {
            Objects.requireNonNull(targetType, "targetType");
            Objects.requireNonNull(target, "target");
            if (!BRANCH_TARGET_TYPES.contains(targetType)) {
                throw new IllegalArgumentException("not a snapshot branch target type: " + targetType);
            }
            if (!targetType.equals("alias") && target.length != ObjectId.LENGTH) {
                throw new IllegalArgumentException(
                        "a " + targetType + " branch targets a 20-byte id, got " + target.length + " bytes");
            }
            target = target.clone();
        }

        /** A branch pointing at an object. */
        public static Branch to(String targetType, ObjectId id) {
            return new Branch(targetType, id.bytes());
        }

        /** A branch that is an alias of the branch named {@code branchName}. */
        public static Branch alias(byte[] branchName) {
            return new Branch("alias", branchName);
        }

        @Override
        public byte[] target() {
            return target.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Branch that && targetType.equals(that.targetType)
                    && Arrays.equals(target, that.target);
        }

        @Override
        public int hashCode() {
            return 31 * targetType.hashCode() + Arrays.hashCode(target);
        }

        @Override
        public String toString() {
            return targetType + " -> " + (targetType.equals("alias") ? Names.printable(target)
                    : new ObjectId(target).hex());
        }
    }

    /**
     * The snapshot manifest: branches sorted by name as unsigned bytes, each written as
     * {@code <type> <name>\0<target length>:<target>}, a null branch as {@code dangling <name>\00:}.
     * Alias targets are not required to resolve: Software Heritage hashes unresolved aliases the
     * same way (its stored snapshots may contain them).
     *
     * @param branches branch name bytes to target; the map is not modified, and keys are compared
     *     by content, so two distinct arrays with the same bytes are rejected as a duplicate
     */
    public static byte[] snapshotManifest(Map<byte[], Branch> branches) {
        Objects.requireNonNull(branches, "branches");
        TreeMap<byte[], Branch> sorted = new TreeMap<>(Arrays::compareUnsigned);
        for (Map.Entry<byte[], Branch> e : branches.entrySet()) {
            byte[] name = Objects.requireNonNull(e.getKey(), "branch name");
            if (sorted.containsKey(name)) {
                throw new IllegalArgumentException("duplicate branch name: " + Names.printable(name));
            }
            sorted.put(name.clone(), e.getValue());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<byte[], Branch> e : sorted.entrySet()) {
            Branch branch = e.getValue();
            byte[] target = branch == null ? new byte[0] : branch.target;
            out.writeBytes(ascii(branch == null ? "dangling" : branch.targetType));
            out.write(' ');
            out.writeBytes(e.getKey());
            out.write(0);
            out.writeBytes(ascii(target.length + ":"));
            out.writeBytes(target);
        }
        return out.toByteArray();
    }

    /** The snapshot id, {@code sha1("snapshot " + len + "\0" + manifest)}; see {@link #snapshotManifest(Map)}. */
    public static ObjectId snapshotId(Map<byte[], Branch> branches) {
        return hashObject("snapshot", snapshotManifest(branches));
    }

    // ------------------------------------------------------------------ SWHIDs

    /** A core SWHID, {@code swh:1:<type>:<hex>}, for type {@code cnt}, {@code dir}, {@code rev}, {@code rel} or {@code snp}. */
    public static String swhid(String type, ObjectId id) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (!SWHID_TYPES.contains(type)) {
            throw new IllegalArgumentException("not a SWHID object type: " + type);
        }
        return "swh:1:" + type + ":" + id.hex();
    }

    /**
     * The directory SWHID with its full context, as Software Heritage prints it:
     * {@code swh:1:dir:<dir>;origin=<url>;visit=swh:1:snp:<snapshot>;anchor=swh:1:rel:<release>;path=/}.
     * The origin is escaped with {@link #escapeOrigin(String)}.
     */
    public static String qualifiedDirectory(ObjectId dir, String originUrl, ObjectId snapshot, ObjectId release) {
        Objects.requireNonNull(originUrl, "originUrl");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(release, "release");
        return swhid("dir", dir)
                + ";origin=" + escapeOrigin(originUrl)
                + ";visit=" + swhid("snp", snapshot)
                + ";anchor=" + swhid("rel", release)
                + ";path=" + escapePath(new byte[] {'/'});
    }

    /**
     * Escapes an {@code origin} qualifier value as swh-model does: {@code %} becomes {@code %25}
     * and {@code ;} becomes {@code %3B}; nothing else is touched (not even spaces or non-ASCII).
     */
    public static String escapeOrigin(String originUrl) {
        return originUrl.replace("%", "%25").replace(";", "%3B");
    }

    /**
     * Escapes a {@code path} qualifier value as swh-model does (Python's
     * {@code urllib.parse.quote_from_bytes} with its default safe set): every byte except ASCII
     * letters, digits, {@code _.-~} and {@code /} becomes {@code %XX} in upper-case hex.
     */
    public static String escapePath(byte[] path) {
        StringBuilder out = new StringBuilder(path.length);
        for (byte b : path) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-' || c == '~' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append((char) HEX_DIGITS[c >> 4]).append((char) HEX_DIGITS[c & 0xf]);
            }
        }
        return out.toString();
    }

    // ----------------------------------------------------------------- helpers

    /** A git-style header line; newlines in the value are continued with a leading space, as git and SWH do. */
    private static void header(ByteArrayOutputStream out, String key, byte[] value) {
        out.writeBytes(ascii(key));
        out.write(' ');
        for (byte b : value) {
            out.write(b);
            if (b == '\n') {
                out.write(' ');
            }
        }
        out.write('\n');
    }

    static ObjectId hashObject(String type, byte[] manifest) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
        sha1.update(ascii(type + " " + manifest.length + "\0"));
        sha1.update(manifest);
        return new ObjectId(sha1.digest());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
