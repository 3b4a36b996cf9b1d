package org.wharf.loader.archive.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.wharf.loader.swhid.ObjectId;

/**
 * Small contents gathered into one object, so that twenty thousand small files cost a handful of
 * uploads instead of twenty thousand. Each content is a byte range of the pack.
 */
public final class Pack {

    public record Segment(ObjectId id, long offset, long length) {
    }

    private byte[] bytes;
    private int size;
    private final List<Segment> segments = new ArrayList<>();
    private final Set<ObjectId> ids = new HashSet<>();

    public Pack(int initialCapacity) {
        this.bytes = new byte[initialCapacity];
    }

    public boolean contains(ObjectId id) {
        return ids.contains(id);
    }

    /** Appends a content, unless the pack holds it already. */
    public void add(ObjectId id, byte[] content, int length) {
        if (!ids.add(id)) {
            return;
        }
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
        }
        System.arraycopy(content, 0, bytes, size, length);
        segments.add(new Segment(id, size, length));
        size += length;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    public List<ObjectId> ids() {
        return segments.stream().map(Segment::id).toList();
    }

    /** The pack without the contents in {@code drop}, and where each remaining one now lies. */
    public Packed without(Set<ObjectId> drop) {
        if (drop.isEmpty()) {
            return new Packed(Arrays.copyOf(bytes, size), List.copyOf(segments));
        }
        byte[] kept = new byte[size];
        int keptSize = 0;
        List<Segment> keptSegments = new ArrayList<>();
        for (Segment segment : segments) {
            if (!drop.contains(segment.id())) {
                System.arraycopy(bytes, (int) segment.offset(), kept, keptSize, (int) segment.length());
                keptSegments.add(new Segment(segment.id(), keptSize, segment.length()));
                keptSize += (int) segment.length();
            }
        }
        return new Packed(Arrays.copyOf(kept, keptSize), keptSegments);
    }

    public record Packed(byte[] bytes, List<Segment> segments) {
    }
}
