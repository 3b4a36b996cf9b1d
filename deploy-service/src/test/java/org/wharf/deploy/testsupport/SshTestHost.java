package org.wharf.deploy.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.wharf.common.infra.Folders;
import org.wharf.deploy.ssh.HostKeyPins;
import org.wharf.deploy.ssh.SshHost;

/**
 * An SSH server on 127.0.0.1 (Apache MINA SSHD, in the test JVM) standing in for a deploy host: a random
 * port, a host key of its own, one accepted client key (user {@value #USER}, public-key authentication
 * only), and every command run by {@code /bin/sh -c} in a temporary folder that is also its {@code HOME}.
 * {@link #shared()} is the one of the test JVM; {@link #start()} makes another (a second host, a host whose
 * key changed). All are stopped, and their folders removed, when the JVM exits.
 */
public final class SshTestHost implements AutoCloseable {

    public static final String USER = "deployer";

    private static final List<SshTestHost> started = new ArrayList<>();
    private static SshTestHost shared;
    private static ClientKey clientKey;

    private final SshServer server;
    private final KeyPair hostKey;
    private final Path home;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger authentications = new AtomicInteger();

    private SshTestHost(SshServer server, KeyPair hostKey, Path home) {
        this.server = server;
        this.hostKey = hostKey;
        this.home = home;
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
            ClientKey client = clientKey();
            KeyPair hostKey = newKeyPair();
            Path home = Files.createTempDirectory("wharf-ssh-host-");
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            SshTestHost host = new SshTestHost(server, hostKey, home);
            server.setPublickeyAuthenticator((user, key, session) -> {
                host.authentications.incrementAndGet();
                return USER.equals(user) && KeyUtils.compareKeys(key, client.keys().getPublic());
            });
            server.addSessionListener(new SessionListener() {
                @Override
                public void sessionCreated(Session session) {
                    host.connections.incrementAndGet();
                }
            });
            server.setCommandFactory((channel, command) -> new ShellCommand(command, home));
            server.start();
            started.add(host);
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String address() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getPort();
    }

    /** The folder commands run in, and their {@code HOME}. */
    public Path home() {
        return home;
    }

    /** The private key this host accepts for {@value #USER}, in OpenSSH form. */
    public Path privateKeyFile() {
        return clientKey().file();
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** The host key's fingerprint as {@code ssh-keygen -lf} prints it, computed by MINA SSHD (not by Wharf). */
    public String sha256Fingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
    }

    /** The host key's fingerprint as {@code ssh-keygen -E md5 -lf} prints it, computed by MINA SSHD. */
    public String md5Fingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.md5, hostKey.getPublic());
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
        return connections.get();
    }

    /** Public-key authentication attempts so far (a client offering a key counts, whether accepted or not). */
    public int authentications() {
        return authentications.get();
    }

    /** A key pair of the kind the hosts use, e.g. for a key the hosts do not accept. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code keys}' private key in OpenSSH form (as {@code ssh-keygen} does) to a new file in {@code folder}. */
    public static Path writePrivateKey(KeyPair keys, Path folder) {
        try {
            Path file = Files.createTempFile(folder, "id_ecdsa-", "");
            try (OutputStream out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keys, "wharf-test", null, out);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            // stopping immediately: nothing left to wait for
        }
        Folders.deleteRecursively(home);
    }

    private static synchronized ClientKey clientKey() {
        if (clientKey == null) {
            try {
                Path folder = Files.createTempDirectory("wharf-ssh-client-");
                KeyPair keys = newKeyPair();
                clientKey = new ClientKey(keys, writePrivateKey(keys, folder), folder);
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

    private record ClientKey(KeyPair keys, Path file, Path folder) {
    }
}
