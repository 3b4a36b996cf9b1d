package org.wharf.loader.swhid;

import java.util.List;

/**
 * Where the objects of an archive's tree go while it is hashed: each content's bytes as they are read
 * (so that storing them costs no second pass over the archive), and each directory once its id is known.
 * Failures of the sink are unchecked and reach the hasher's caller unchanged, never blamed on the archive.
 */
public interface ContentSink {

    /** Hashes only: nothing is kept. */
    ContentSink NONE = size -> Content.DISCARD;

    /** Called before the {@code size} bytes of one content (a file, or a symlink's target) are written. */
    Content open(long size);

    /** One directory, after all of its descendants; {@code entries} in git's tree order. */
    default void directory(ObjectId id, List<GitObjectHasher.TreeEntry> entries) {
    }

    /** One content's bytes, in order; then {@link #hashed} with its blob id, or {@link #abandon}. */
    interface Content {

        Content DISCARD = new Content() {
            @Override
            public void write(byte[] buffer, int offset, int length) {
            }

            @Override
            public void hashed(ObjectId id) {
            }
        };

        void write(byte[] buffer, int offset, int length);

        /** All bytes were written; {@code id} is their blob id. */
        void hashed(ObjectId id);

        /** The archive failed while this content was being read: release what it holds. */
        default void abandon() {
        }
    }
}
