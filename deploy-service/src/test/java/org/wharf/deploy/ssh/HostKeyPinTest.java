package org.wharf.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import java.util.Locale;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.Test;
import org.wharf.deploy.testsupport.SshTestHost;

/** Pins as an operator copies them from ssh-keygen, checked against fingerprints computed by MINA SSHD. */
class HostKeyPinTest {

    private final KeyPair key = SshTestHost.newKeyPair();
    private final KeyPair otherKey = SshTestHost.newKeyPair();
    private final String sha256 = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key.getPublic());
    private final String md5 = KeyUtils.getFingerPrint(BuiltinDigests.md5, key.getPublic());

    @Test
    void fingerprintsAreOpenSshs() {
        KeyFingerprints fingerprints = KeyFingerprints.of(key.getPublic());

        assertThat(fingerprints.sha256Form()).isEqualTo(sha256);
        assertThat(fingerprints.md5Form()).isEqualTo(md5);
        assertThat(fingerprints.keyType()).isEqualTo("ecdsa-sha2-nistp256");
    }

    @Test
    void bothFormsMatchTheirKeyOnly() {
        KeyFingerprints presented = KeyFingerprints.of(key.getPublic());
        KeyFingerprints other = KeyFingerprints.of(otherKey.getPublic());
        String md5Upper = "MD5:" + md5.substring(4).toUpperCase(Locale.ROOT);
        String bareMd5 = md5.substring(4);

        for (String pin : List.of(sha256, sha256 + "=", "sha256:" + sha256.substring(7), md5, md5Upper, bareMd5)) {
            HostKeyPin parsed = HostKeyPin.parse("web-1", pin);
            assertThat(parsed.matches(presented)).as(pin).isTrue();
            assertThat(parsed.matches(other)).as(pin).isFalse();
        }
        assertThat(HostKeyPin.parse("web-1", md5Upper)).hasToString(md5);
        assertThat(HostKeyPin.parse("web-1", sha256 + "=")).hasToString(sha256);
    }

    @Test
    void severalPinsAcceptAKeyMatchingAnyOfThem() {
        String otherSha256 = KeyUtils.getFingerPrint(BuiltinDigests.sha256, otherKey.getPublic());

        HostKeyPins pins = HostKeyPins.parse("web-1", List.of(otherSha256 + ", " + md5));

        assertThat(pins.pins()).hasSize(2);
        assertThat(pins.matches(KeyFingerprints.of(key.getPublic()))).isTrue();
        assertThat(pins.matches(KeyFingerprints.of(SshTestHost.newKeyPair().getPublic()))).isFalse();
    }

    @Test
    void aMalformedPinIsRefusedNamingTheHost() {
        String tooShort = sha256.substring(0, sha256.length() - 1);
        List<String> malformed = List.of(tooShort, "SHA256:" + "!".repeat(43), "MD5:" + md5.substring(7),
                "MD5:zz" + md5.substring(6), "SHA1:" + sha256.substring(7), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
                sha256.substring(7), md5.replace(':', '-'));

        for (String pin : malformed) {
            assertThatThrownBy(() -> HostKeyPins.parse("127.0.0.1:2222", List.of(pin))).as(pin)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("host 127.0.0.1:2222: host-key '")
                    .hasMessageContaining("is not a fingerprint");
        }
    }

    @Test
    void aHostWithoutPinIsRefused() {
        assertThatThrownBy(() -> HostKeyPins.parse("web-1", List.of())).hasMessageStartingWith("host web-1: no host-key pinned");
        assertThatThrownBy(() -> HostKeyPins.parse("web-1", List.of(" "))).hasMessageStartingWith("host web-1: no host-key pinned");
    }
}
