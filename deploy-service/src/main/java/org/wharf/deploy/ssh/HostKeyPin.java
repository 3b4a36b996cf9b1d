package org.wharf.deploy.ssh;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One pinned host-key fingerprint in one of OpenSSH's forms: {@code SHA256:<base64, padding optional>} or
 * {@code MD5:aa:bb:…} (16 hex pairs, either case; the bare pairs of older {@code ssh-keygen} are read as MD5).
 */
public record HostKeyPin(Form form, byte[] digest) {

    public enum Form {
        SHA256(32) {
            @Override
            String format(byte[] digest) {
                return "SHA256:" + KeyFingerprints.base64(digest);
            }
        },
        MD5(16) {
            @Override
            String format(byte[] digest) {
                return "MD5:" + KeyFingerprints.hexPairs(digest);
            }
        };

        private final int length;

        Form(int length) {
            this.length = length;
        }

        abstract String format(byte[] digest);
    }

    private static final Pattern SHA256_VALUE = Pattern.compile("[A-Za-z0-9+/]{43}=?");
    private static final Pattern MD5_VALUE = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){15}");

    public HostKeyPin {
        if (digest.length != form.length) {
            throw new IllegalArgumentException(form + " digest of " + digest.length + " bytes");
        }
        digest = digest.clone();
    }

    /** Reads one pin; {@code host} only names the host in the reason of a refusal. */
    public static HostKeyPin parse(String host, String text) {
        String pin = text == null ? "" : text.strip();
        int colon = pin.indexOf(':');
        String prefix = colon < 0 ? "" : pin.substring(0, colon).toUpperCase(Locale.ROOT);
        String value = colon < 0 ? "" : pin.substring(colon + 1);
        if (prefix.equals("SHA256") && SHA256_VALUE.matcher(value).matches()) {
            String padded = value.endsWith("=") ? value : value + "=";
            return new HostKeyPin(Form.SHA256, Base64.getDecoder().decode(padded));
        }
        if (prefix.equals("MD5") && MD5_VALUE.matcher(value).matches()) {
            return new HostKeyPin(Form.MD5, HexFormat.ofDelimiter(":").parseHex(value));
        }
        if (MD5_VALUE.matcher(pin).matches()) {
            return new HostKeyPin(Form.MD5, HexFormat.ofDelimiter(":").parseHex(pin));
        }
        throw new IllegalArgumentException("host " + host + ": host-key '" + printable(pin)
                + "' is not a fingerprint; expected SHA256:<43 base64 characters> or MD5:<16 hex pairs>,"
                + " as 'ssh-keyscan -p PORT HOST | ssh-keygen -lf -' prints them");
    }

    public boolean matches(KeyFingerprints key) {
        return MessageDigest.isEqual(digest, form == Form.SHA256 ? key.sha256() : key.md5());
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostKeyPin pin && pin.form == form && MessageDigest.isEqual(pin.digest, digest);
    }

    @Override
    public int hashCode() {
        return form.hashCode() * 31 + Arrays.hashCode(digest);
    }

    /** The pin in OpenSSH's form (MD5 in lower case). */
    @Override
    public String toString() {
        return form.format(digest);
    }

    // A pin goes into a one-line reason: keep it one line and short.
    private static String printable(String pin) {
        String line = pin.replaceAll("\\p{Cntrl}", "?");
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}
