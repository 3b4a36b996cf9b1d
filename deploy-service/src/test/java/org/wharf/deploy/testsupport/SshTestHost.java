package org.wharf.deploy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalSshHost;
import org.wharf.deploy.ssh.HostKeyPins;
import org.wharf.deploy.ssh.SshHost;

/**
 * A deploy host for the tests: a {@link LocalSshHost} (Apache MINA SSHD in the test JVM) on a random port
 * of 127.0.0.1, with a host key of its own, accepting one client key for user {@value #USER} (public-key
 * authentication only), every command run by {@code /bin/sh -c} in a temporary folder that is also its
 * {@code HOME}. {@link #shared()} is the one of the test JVM; {@link #start()} makes another (a second host,
 * a host whose key changed), accepting the same client key. All are stopped, and their folders removed,
 * when the JVM exits.
 */
public final class SshTestHost implements AutoCloseable {

    public static final String USER = "deployer";

    private static final List<SshTestHost> started = new ArrayList<>();
    private static SshTestHost shared;
    private static ClientKey clientKey;

    private final LocalSshHost host;
    private final Path keyFolder;

    private SshTestHost(LocalSshHost host, Path keyFolder) {
        this.host = host;
        this.keyFolder = keyFolder;
    }

    /** The SSH host of this test JVM, started by the first caller. */
    public static synchronized SshTestHost shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Another SSH host, with its own host key and folder, accepting the same client key. */
    public static synchronized SshTestHost start() {
        if (started.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(SshTestHost::stopAll, "wharf-test-ssh-stop"));
        }
        try {
            // A key folder of its own (so a new host key), holding the client key all test hosts accept.
            Path keyFolder = Files.createTempDirectory("wharf-ssh-keys-");
            Files.copy(clientKey().file(), keyFolder.resolve(LocalSshHost.CLIENT_KEY_FILE), StandardCopyOption.COPY_ATTRIBUTES);
            Path home = Files.createTempDirectory("wharf-ssh-host-");
            SshTestHost host = new SshTestHost(LocalSshHost.start(0, USER, keyFolder, home), keyFolder);
            started.add(host);
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String address() {
        return host.address();
    }

    public int port() {
        return host.port();
    }

    /** The folder commands run in, and their {@code HOME}. */
    public Path home() {
        return host.home();
    }

    /** The private key this host accepts for {@value #USER}, in OpenSSH form. */
    public Path privateKeyFile() {
        return clientKey().file();
    }

    public PublicKey hostKey() {
        return host.hostKey();
    }

    /** The host key's fingerprint as {@code ssh-keygen -lf} prints it, computed by MINA SSHD (not by Wharf). */
    public String sha256Fingerprint() {
        return host.sha256Fingerprint();
    }

    /** The host key's fingerprint as {@code ssh-keygen -E md5 -lf} prints it, computed by MINA SSHD. */
    public String md5Fingerprint() {
        return host.md5Fingerprint();
    }

    /** This host as a deploy would address it, its key pinned by its SHA256 fingerprint. */
    public SshHost sshHost() {
        return sshHost(HostKeyPins.parse(address(), sha256Fingerprint()));
    }

    public SshHost sshHost(HostKeyPins pins) {
        return new SshHost(address(), port(), USER, pins, privateKeyFile());
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return host.connections();
    }

    /** Public-key authentication attempts so far (a client offering a key counts, whether accepted or not). */
    public int authentications() {
        return host.authentications();
    }

    /** A key pair of the kind the hosts use, e.g. for a key the hosts do not accept. */
    public static KeyPair newKeyPair() {
        return LocalSshHost.newKeyPair();
    }

    /** Writes {@code keys}' private key in OpenSSH form (as {@code ssh-keygen} does) to a new file in {@code folder}. */
    public static Path writePrivateKey(KeyPair keys, Path folder) {
        try {
            Path file = Files.createTempFile(folder, "id_ecdsa-", "");
            LocalSshHost.writePrivateKey(keys, "wharf-test", file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        host.close();
        Folders.deleteRecursively(host.home());
        Folders.deleteRecursively(keyFolder);
    }

    private static synchronized ClientKey clientKey() {
        if (clientKey == null) {
            try {
                Path folder = Files.createTempDirectory("wharf-ssh-client-");
                clientKey = new ClientKey(writePrivateKey(newKeyPair(), folder), folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return clientKey;
    }

    private static synchronized void stopAll() {
        started.forEach(SshTestHost::close);
        if (clientKey != null) {
            Folders.deleteRecursively(clientKey.folder());
        }
    }

    private record ClientKey(Path file, Path folder) {
    }
}
