package org.wharf.deploy.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * A public key's fingerprints as OpenSSH prints them ({@code ssh-keygen -lf}, {@code -E md5}): the digest of
 * the key's wire encoding, {@code SHA256:} base64 without padding, {@code MD5:} colon-separated lower-case hex.
 */
public final class KeyFingerprints {

    private final String keyType;
    private final byte[] sha256;
    private final byte[] md5;

    private KeyFingerprints(String keyType, byte[] sha256, byte[] md5) {
        this.keyType = keyType;
        this.sha256 = sha256;
        this.md5 = md5;
    }

    public static KeyFingerprints of(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        return new KeyFingerprints(KeyType.fromKey(key).toString(), digest("SHA-256", blob), digest("MD5", blob));
    }

    /** The key's SSH type name, e.g. {@code ssh-ed25519}. */
    public String keyType() {
        return keyType;
    }

    byte[] sha256() {
        return sha256;
    }

    byte[] md5() {
        return md5;
    }

    public String sha256Form() {
        return HostKeyPin.Form.SHA256.format(sha256);
    }

    public String md5Form() {
        return HostKeyPin.Form.MD5.format(md5);
    }

    /** Both forms, the way a refusal names a presented key: {@code SHA256:… (MD5:…)}. */
    @Override
    public String toString() {
        return sha256Form() + " (" + md5Form() + ")";
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    static String base64(byte[] digest) {
        return Base64.getEncoder().withoutPadding().encodeToString(digest);
    }

    static String hexPairs(byte[] digest) {
        return HexFormat.ofDelimiter(":").formatHex(digest);
    }
}
