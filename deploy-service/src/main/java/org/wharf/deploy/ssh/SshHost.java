package org.wharf.deploy.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and as whom to connect: an address, a port, a user, the host key's pins and the private key to
 * authenticate with. The private key's location stays out of {@link #toString()} and every reason.
 */
public record SshHost(String address, int port, String user, HostKeyPins hostKeys, Path privateKeyFile) {

    public SshHost {
        Objects.requireNonNull(hostKeys, "hostKeys");
        Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a host needs an address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("host " + address + ": port " + port + " is not a TCP port");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("host " + address + ":" + port + ": no user");
        }
    }

    /** {@code address:port}, as reasons name the host. */
    public String endpoint() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    @Override
    public String toString() {
        return user + "@" + endpoint();
    }
}
