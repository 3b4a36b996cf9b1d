package org.wharf.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process SSH host, driven by MINA SSHD's own client (the deploy-service's sshj client is tested in deploy-service and cli). */
class LocalSshHostTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path work;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private SshClient client;

    @BeforeEach
    void startClient() {
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            c.close();
        }
        client.stop();
    }

    @Test
    void runsACommandWithShInItsHomeAndAnswersItsExitStatus() throws Exception {
        LocalSshHost host = start();
        try (ClientSession session = connect(host, clientKey(host))) {
            Exec result = exec(session, "pwd; echo \"$HOME $USER\"; echo oops >&2; touch made-here; exit 3");

            assertThat(result.status()).isEqualTo(3);
            assertThat(result.out()).isEqualTo(host.home().toRealPath() + "\n" + host.home() + " deployer\n");
            assertThat(result.err()).isEqualTo("oops\n");
            assertThat(host.home().resolve("made-here")).exists();
        }
        assertThat(host.connections()).isEqualTo(1);
    }

    @Test
    void refusesAnotherKeyAndAnotherUserAndRunsNothing() throws Exception {
        LocalSshHost host = start();

        assertThatThrownBy(() -> connect(host, LocalSshHost.newKeyPair()).close()).hasMessageContaining("No more authentication methods");
        assertThatThrownBy(() -> connect(host, "root", clientKey(host)).close()).hasMessageContaining("No more authentication methods");

        assertThat(host.authentications()).isGreaterThanOrEqualTo(2);
        try (var files = Files.list(host.home())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void keepsBothKeysInItsFolderOwnerOnlyAndReusesThemWhenStartedAgain() throws Exception {
        LocalSshHost first = start();
        String fingerprint = first.sha256Fingerprint();
        byte[] clientKey = Files.readAllBytes(first.privateKeyFile());
        first.close();

        LocalSshHost second = start();

        assertThat(second.sha256Fingerprint()).isEqualTo(fingerprint).startsWith("SHA256:");
        assertThat(second.md5Fingerprint()).startsWith("MD5:");
        assertThat(second.privateKeyFile()).hasBinaryContent(clientKey);
        assertThat(new String(clientKey, StandardCharsets.US_ASCII)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        for (String file : List.of(LocalSshHost.HOST_KEY_FILE, LocalSshHost.CLIENT_KEY_FILE)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("keys").resolve(file))))
                    .isEqualTo("rw-------");
        }
        try (ClientSession session = connect(second, clientKey(second))) {
            assertThat(exec(session, "true").status()).isZero();
        }
    }

    @Test
    void aStartedHostAnotherFolderHasAnotherHostKey() {
        LocalSshHost one = start();
        LocalSshHost other = LocalSshHost.start(0, "deployer", work.resolve("other-keys"), work.resolve("other-home"));
        opened.add(other);

        assertThat(other.sha256Fingerprint()).isNotEqualTo(one.sha256Fingerprint());
        assertThat(other.port()).isNotEqualTo(one.port());
    }

    @Test
    void closingStopsTheCommandsStillRunning() throws Exception {
        LocalSshHost host = start();
        ClientSession session = connect(host, clientKey(host));
        opened.add(session);
        ChannelExec channel = session.createExecChannel("echo $$ > pid; exec sleep 300");
        channel.open().verify(WAIT);
        Path pidFile = host.home().resolve("pid");
        awaitTrue(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        host.close();

        awaitTrue(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false);
    }

    private LocalSshHost start() {
        LocalSshHost host = LocalSshHost.start(0, "deployer", work.resolve("keys"), work.resolve("home"));
        opened.add(host);
        return host;
    }

    private static KeyPair clientKey(LocalSshHost host) {
        List<KeyPair> keys = new ArrayList<>();
        new FileKeyPairProvider(host.privateKeyFile()).loadKeys(null).forEach(keys::add);
        return keys.get(0);
    }

    private ClientSession connect(LocalSshHost host, KeyPair key) throws Exception {
        return connect(host, "deployer", key);
    }

    // Connects accepting only the host key whose fingerprint the host announces, then authenticates with `key`.
    private ClientSession connect(LocalSshHost host, String user, KeyPair key) throws Exception {
        client.setServerKeyVerifier((session, address, serverKey) ->
                KeyUtils.getFingerPrint(BuiltinDigests.sha256, serverKey).equals(host.sha256Fingerprint()));
        ClientSession session = client.connect(user, host.address(), host.port()).verify(WAIT).getSession();
        try {
            session.addPublicKeyIdentity(key);
            session.auth().verify(WAIT);
            return session;
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    private record Exec(int status, String out, String err) {
    }

    private static Exec exec(ClientSession session, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(WAIT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), WAIT);
            return new Exec(channel.getExitStatus(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("waited %s", WAIT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
