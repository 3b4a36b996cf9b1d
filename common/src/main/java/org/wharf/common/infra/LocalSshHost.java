package org.wharf.common.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;

/**
 * An SSH server in this JVM (Apache MINA SSHD) on 127.0.0.1, standing in for a deploy host: the tests' hosts
 * and the local stack's. It has a host key of its own and accepts one client key for one user, by public-key
 * authentication only; each command is run by {@code /bin/sh -c} as this process's OS user, in the home
 * folder (also its {@code HOME}), its exit status sent back.
 * <p>
 * Both keys live in the key folder, as OpenSSH private key files readable only by their owner
 * ({@value #HOST_KEY_FILE}, {@value #CLIENT_KEY_FILE}): made the first time, read again by a host started
 * later on the same folder, so that a restarted local stack keeps its fingerprint and its pinned inventory.
 * </p>
 */
public final class LocalSshHost implements AutoCloseable {

    public static final String HOST_KEY_FILE = "ssh_host_ecdsa_key";
    public static final String CLIENT_KEY_FILE = "id_ecdsa";
    private static final String ADDRESS = "127.0.0.1";

    private final SshServer server;
    private final String user;
    private final KeyPair hostKey;
    private final Path clientKeyFile;
    private final Path home;
    private final Set<LocalSshCommand> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger authentications = new AtomicInteger();

    private LocalSshHost(SshServer server, String user, KeyPair hostKey, Path clientKeyFile, Path home) {
        this.server = server;
        this.user = user;
        this.hostKey = hostKey;
        this.clientKeyFile = clientKeyFile;
        this.home = home;
    }

    /**
     * @param port      0 for any free port
     * @param user      the one user name accepted (commands still run as this process's user)
     * @param keyFolder holds the host key and the accepted client key; each is made if missing
     * @param home      where commands run; made if missing
     */
    public static LocalSshHost start(int port, String user, Path keyFolder, Path home) {
        try {
            Files.createDirectories(keyFolder);
            Files.createDirectories(home);
            KeyPair hostKey = keyPair(keyFolder.resolve(HOST_KEY_FILE), "wharf local ssh host");
            Path clientKeyFile = keyFolder.resolve(CLIENT_KEY_FILE);
            PublicKey clientKey = keyPair(clientKeyFile, "wharf local deploy").getPublic();
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost(ADDRESS);
            server.setPort(port);
            // as on the client: without it each command's exit status waits ~40 ms for a delayed ACK
            CoreModuleProperties.TCP_NODELAY.set(server, true);
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            LocalSshHost host = new LocalSshHost(server, user, hostKey, clientKeyFile, home);
            server.setPublickeyAuthenticator((name, key, session) -> {
                host.authentications.incrementAndGet();
                return user.equals(name) && KeyUtils.compareKeys(key, clientKey);
            });
            server.addSessionListener(new SessionListener() {
                @Override
                public void sessionCreated(Session session) {
                    host.connections.incrementAndGet();
                }
            });
            server.setCommandFactory((channel, command) -> new LocalSshCommand(command, home, user, host.running));
            try {
                server.start();
            } catch (IOException | RuntimeException e) {
                // A port taken: the server's threads are already running, stop them.
                server.stop(true);
                throw e;
            }
            return host;
        } catch (IOException e) {
            throw new IllegalStateException("SSH host on " + ADDRESS + ":" + port + " did not start: " + e.getMessage(), e);
        }
    }

    public String address() {
        return ADDRESS;
    }

    public int port() {
        return server.getPort();
    }

    /** The one user name this host accepts. */
    public String user() {
        return user;
    }

    /** The folder commands run in, and their {@code HOME}. */
    public Path home() {
        return home;
    }

    /** The private key this host accepts for {@link #user()}, in OpenSSH form (as {@code ssh-keygen} writes it). */
    public Path privateKeyFile() {
        return clientKeyFile;
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** The host key's fingerprint as {@code ssh-keygen -lf} prints it, computed by MINA SSHD. */
    public String sha256Fingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
    }

    /** The host key's fingerprint as {@code ssh-keygen -E md5 -lf} prints it, computed by MINA SSHD. */
    public String md5Fingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.md5, hostKey.getPublic());
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Public-key authentication attempts so far (a client offering a key counts, whether accepted or not). */
    public int authentications() {
        return authentications.get();
    }

    /** A key pair of the kind the hosts use (ECDSA P-256). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code keys}' private key in OpenSSH form, unencrypted, to {@code file}, readable and writable by
     * its owner only from the start (a temporary file renamed into place: never half-written).
     */
    public static void writePrivateKey(KeyPair keys, String comment, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Path temporary = Files.createTempFile(parent, "." + file.getFileName() + "-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keys, comment, null, out);
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the private key " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the private key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server, its sessions and every command still running. */
    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            // stopping immediately: nothing left to wait for
        }
        for (LocalSshCommand command : List.copyOf(running)) {
            command.destroy(null);
        }
    }

    // The key pair in `file`, made and written there first if there is none.
    private static KeyPair keyPair(Path file, String comment) {
        if (!Files.exists(file)) {
            writePrivateKey(newKeyPair(), comment, file);
        }
        List<KeyPair> keys = new ArrayList<>();
        try {
            // The provider reads lazily and reports a bad file as an unchecked exception.
            new FileKeyPairProvider(file).loadKeys(null).forEach(keys::add);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the key file " + file + " is not readable as an OpenSSH private key ("
                    + e.getMessage() + "); remove it to have a new one made", e);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("the key file " + file + " holds no key; remove it to have a new one made");
        }
        return keys.get(0);
    }
}
