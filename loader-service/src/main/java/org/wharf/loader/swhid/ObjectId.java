package org.wharf.loader.swhid;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A git / Software Heritage object id: the 20-byte SHA-1 of a serialised object.
 *
 * <p>The array is copied on the way in and on the way out because a record cannot otherwise stop a
 * caller from mutating an id that is already used as a map key or stored in a tree.
 *
 * @param bytes the 20 raw SHA-1 bytes
 */
public record ObjectId(byte[] bytes) {

    /** Length in bytes of a SHA-1 object id. */
    public static final int LENGTH = 20;

    private static final HexFormat HEX = HexFormat.of();

    public ObjectId {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(
                    "an object id is " + LENGTH + " bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** Parses 40 hexadecimal digits (either case). */
    public static ObjectId fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException(
                    "an object id is " + 2 * LENGTH + " hex digits, got " + hex.length());
        }
        try {
            return new ObjectId(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hexadecimal object id: " + hex, e);
        }
    }

    /** A copy of the raw 20 bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, the form git and SWHIDs use. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Lets the hashers feed the id into a digest without an extra copy per tree entry. */
    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectId that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
