package org.wharf.checker.archive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks on entries that do not depend on the format: hostile paths, links, special files, duplicates,
 * names. Memory grows with the number of entries only (a 64-bit hash per path in a half-full table, plus the few
 * symbolic links whose target climbs with ".."), not with the size of names or contents.
 */
final class EntryChecks {

    enum Kind { FILE, DIRECTORY, SYMLINK, HARD_LINK, SPECIAL }

    /**
     * One entry as the format inspection decoded it.
     *
     * @param display           the printable name used in reports
     * @param name              the name an extractor would use (decoded)
     * @param listed            the name as Software Heritage's checker lists it (for its "only one archive" rule)
     * @param nameVariants      every name the archive gives this entry (a tar can carry a ustar name, a GNU long
     *                          name and pax paths; different extractors pick different ones), {@code name} included
     * @param invalidEncoding   the name is not valid in the archive's encoding
     * @param controlCharacters a name variant holds a NUL or C0 control character
     * @param linkTargets       for a symbolic link, every target the archive gives it
     */
    record Scanned(String display, String name, String listed, List<String> nameVariants, boolean invalidEncoding,
            boolean controlCharacters, Kind kind, List<String> linkTargets) {
    }

    /** A symbolic link whose target climbs with "..": it escapes if one of the directories it climbs out of is itself a link. */
    private record Climbing(String display, long[] climbedOutOf) {
    }

    private final Findings findings;
    private final PathHashes hashes = new PathHashes();
    private final LongSet paths = new LongSet();
    private final LongSet symlinks = new LongSet();
    private final List<Climbing> climbing = new ArrayList<>();
    private long count;
    private Scanned first;

    EntryChecks(Findings findings) {
        this.findings = findings;
    }

    void check(Scanned entry) {
        if (count++ == 0) {
            first = entry;
        }
        boolean absolute = false;
        boolean parent = false;
        for (String variant : entry.nameVariants()) {
            absolute |= EntryNames.isAbsolute(variant);
            parent |= EntryNames.hasParentSegment(variant);
        }
        if (parent) {
            findings.addEntry(ArchiveProblems.PARENT_SEGMENT, entry.display());
        }
        if (absolute) {
            findings.addEntry(ArchiveProblems.ABSOLUTE_PATH, entry.display());
        }
        switch (entry.kind()) {
            case SYMLINK -> symlink(entry);
            case HARD_LINK -> findings.addEntry(ArchiveProblems.HARD_LINK, entry.display());
            case SPECIAL -> findings.addEntry(ArchiveProblems.SPECIAL_FILE, entry.display());
            default -> {
            }
        }
        List<String> segments = EntryNames.segments(entry.name());
        // The root itself ("./") may be listed more than once harmlessly.
        if (!segments.isEmpty() && !paths.add(hashes.of(segments))) {
            findings.addEntry(ArchiveProblems.DUPLICATE, entry.display());
        }
        if (entry.invalidEncoding()) {
            findings.addEntry(ArchiveProblems.INVALID_ENCODING, entry.display());
        }
        if (entry.controlCharacters()) {
            findings.addEntry(ArchiveProblems.CONTROL_CHARACTERS, entry.display());
        }
    }

    /**
     * Resolves the target relative to the link's own directory, lexically, for every name and target the archive
     * gives the link. Absolute targets are outside. Climbing out of a directory that is itself a link is only
     * known once all entries are seen, see {@link #finish()}.
     */
    private void symlink(Scanned entry) {
        boolean outside = false;
        List<Long> climbed = new ArrayList<>();
        for (String name : entry.nameVariants()) {
            symlinks.add(hashes.of(EntryNames.segments(name)));
            // the link's own directory: its path without its last segment
            List<String> directory = EntryNames.segments(name);
            if (!directory.isEmpty()) {
                directory.remove(directory.size() - 1);
            }
            for (String target : entry.linkTargets()) {
                outside |= climbsOut(directory, target, climbed);
            }
        }
        if (outside) {
            findings.addEntry(ArchiveProblems.SYMLINK_OUTSIDE, entry.display());
        } else if (!climbed.isEmpty()) {
            climbing.add(new Climbing(entry.display(), climbed.stream().mapToLong(Long::longValue).toArray()));
        }
    }

    private boolean climbsOut(List<String> directory, String target, List<Long> climbed) {
        // A NUL cuts the target short for C code: whatever we resolve would not be what is followed.
        if (EntryNames.isAbsolute(target) || target.indexOf('\0') >= 0) {
            return true;
        }
        List<String> stack = new ArrayList<>();
        List<Long> stackHashes = new ArrayList<>();
        List<String> steps = new ArrayList<>(directory);
        // '\' separates too: a Windows extractor would follow it.
        steps.addAll(List.of(target.split("[/\\\\]", -1)));
        for (String step : steps) {
            if (step.isEmpty() || step.equals(".")) {
                continue;
            }
            if (step.equals("..")) {
                if (stack.isEmpty()) {
                    return true;
                }
                climbed.add(stackHashes.remove(stackHashes.size() - 1));
                stack.remove(stack.size() - 1);
            } else {
                long parent = stackHashes.isEmpty() ? hashes.root() : stackHashes.get(stackHashes.size() - 1);
                stack.add(step);
                stackHashes.add(hashes.child(parent, step));
            }
        }
        return false;
    }

    /** Call once every entry has been checked. */
    void finish() {
        for (Climbing link : climbing) {
            for (long directory : link.climbedOutOf()) {
                if (symlinks.contains(directory)) {
                    // "x/up -> .." then "y -> x/up/..": lexically inside, but x/up/.. is the root's parent.
                    findings.addEntry(ArchiveProblems.SYMLINK_OUTSIDE, link.display());
                    break;
                }
            }
        }
        climbing.clear();
    }

    /** The first entry, or null if none: for Software Heritage's "only one archive" rule. */
    Scanned first() {
        return first;
    }

    /**
     * 64-bit hashes of normalized paths, computed segment by segment so that every prefix of a path is hashed in
     * linear time. Seeded at random: an archive cannot be crafted to collide in the tables.
     */
    private static final class PathHashes {
        private final MessageDigest sha256;
        private final long seed = new SecureRandom().nextLong();

        PathHashes() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }

        long root() {
            return seed;
        }

        long child(long parent, String segment) {
            long segmentHash = ByteBuffer.wrap(sha256.digest(segment.getBytes(StandardCharsets.UTF_8))).getLong();
            return mix(parent + 0x9E3779B97F4A7C15L + mix(segmentHash ^ seed));
        }

        long of(List<String> segments) {
            long hash = root();
            for (String segment : segments) {
                hash = child(hash, segment);
            }
            return hash;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    /** Open-addressing set of longs: 8 bytes per path instead of the path itself. */
    private static final class LongSet {
        private long[] table = new long[1024];
        private int size;

        boolean add(long value) {
            long v = value == 0 ? 1 : value;
            if ((size + 1) * 2L > table.length) {
                grow();
            }
            int mask = table.length - 1;
            for (int i = (int) v & mask;; i = (i + 1) & mask) {
                if (table[i] == 0) {
                    table[i] = v;
                    size++;
                    return true;
                }
                if (table[i] == v) {
                    return false;
                }
            }
        }

        boolean contains(long value) {
            long v = value == 0 ? 1 : value;
            int mask = table.length - 1;
            for (int i = (int) v & mask;; i = (i + 1) & mask) {
                if (table[i] == 0) {
                    return false;
                }
                if (table[i] == v) {
                    return true;
                }
            }
        }

        private void grow() {
            long[] old = table;
            table = new long[old.length * 2];
            size = 0;
            for (long v : old) {
                if (v != 0) {
                    add(v);
                }
            }
        }
    }
}
