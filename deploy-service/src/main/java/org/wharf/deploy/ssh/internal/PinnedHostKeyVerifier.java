package org.wharf.deploy.ssh.internal;

import java.security.PublicKey;
import java.util.List;

import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.wharf.deploy.ssh.HostKeyPins;
import org.wharf.deploy.ssh.KeyFingerprints;

/**
 * Accepts the host key only if it matches one of the host's pins. Called during key exchange, so a refused
 * key ends the connection before authentication and before any command; the refusal's reason is kept for
 * the caller, since sshj reports only that verification failed.
 */
public final class PinnedHostKeyVerifier implements HostKeyVerifier {

    private final String endpoint;
    private final HostKeyPins pins;
    private volatile String refusal;

    public PinnedHostKeyVerifier(String endpoint, HostKeyPins pins) {
        this.endpoint = endpoint;
        this.pins = pins;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        KeyFingerprints presented = KeyFingerprints.of(key);
        if (pins.matches(presented)) {
            return true;
        }
        refusal = "host key of " + endpoint + " is " + presented.sha256Form() + " (" + presented.md5Form() + ", "
                + presented.keyType() + "), expected " + pins;
        return false;
    }

    /** No preference: the pins say nothing of the key type, so the usual algorithm order stands. */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return List.of();
    }

    /** Why the last key presented was refused, or {@code null} if none was. */
    public String refusal() {
        return refusal;
    }
}
