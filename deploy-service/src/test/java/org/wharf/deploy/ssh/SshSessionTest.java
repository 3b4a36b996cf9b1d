package org.wharf.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.deploy.ssh.SshFailure.Kind;
import org.wharf.deploy.testsupport.SshTestHost;

/** Sessions against a real SSH server on 127.0.0.1 running commands in a real shell. */
class SshSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SshTestHost host = SshTestHost.shared();

    @Test
    void oneConnectionCarriesSeveralCommands() throws Exception {
        int connectionsBefore = host.connections();

        try (SshSession session = SshSession.open(host.sshHost(), SshOptions.DEFAULTS)) {
            CommandResult first = session.run("echo one; echo two >&2; printf 'x' > first.txt", TIMEOUT);
            CommandResult second = session.run("cat first.txt; echo \" in $(pwd)\"; exit 3", TIMEOUT);

            assertThat(first.exitStatus()).isZero();
            assertThat(first.succeeded()).isTrue();
            assertThat(first.outputTail()).contains("one\n").contains("two\n");
            assertThat(first.outputTruncated()).isFalse();
            assertThat(second.exitStatus()).isEqualTo(3);
            assertThat(second.succeeded()).isFalse();
            assertThat(second.outcome()).isEqualTo("exit 3");
            assertThat(second.outputTail()).isEqualTo("x in " + host.home().toRealPath() + "\n");
        }
        assertThat(host.connections() - connectionsBefore).isEqualTo(1);
    }

    @Test
    void aConnectionDoesNotHoldBackSmallPackets() throws Exception {
        // Nagle's algorithm with the server's delayed ACK cost each command ~40 ms (see SshSession.open)
        try (SshSession session = SshSession.open(host.sshHost(), SshOptions.DEFAULTS)) {
            assertThat(session.sendsSmallPacketsAtOnce()).isTrue();
        }
    }

    @Test
    void aCommandQuietForLongerThanTheConnectTimeoutKeepsItsConnection() throws Exception {
        try (SshSession session = SshSession.open(host.sshHost(), SshOptions.DEFAULTS.withConnectTimeout(Duration.ofSeconds(2)))) {
            CommandResult quiet = session.run("sleep 3; echo woke", TIMEOUT);
            CommandResult next = session.run("echo next", TIMEOUT);

            assertThat(quiet.exitStatus()).isZero();
            assertThat(quiet.outputTail()).isEqualTo("woke\n");
            assertThat(next.outputTail()).isEqualTo("next\n");
        }
    }

    @Test
    void onlyTheTailOfALongOutputIsKept() throws Exception {
        try (SshSession session = SshSession.open(host.sshHost(), SshOptions.DEFAULTS.withOutputTailBytes(1024))) {
            CommandResult result = session.run("head -c 300000 /dev/zero | tr '\\0' a; echo; echo END", TIMEOUT);

            assertThat(result.exitStatus()).isZero();
            assertThat(result.outputBytes()).isEqualTo(300_005);
            assertThat(result.outputTruncated()).isTrue();
            assertThat(result.outputTail()).hasSize(1024).endsWith("aaa\nEND\n");
        }
    }

    @Test
    void aCommandPastItsTimeoutIsReportedTimedOutAndTheSessionGoesOn() throws Exception {
        try (SshSession session = SshSession.open(host.sshHost(), SshOptions.DEFAULTS)) {
            CommandResult slow = session.run("echo started; sleep 60; echo finished", Duration.ofSeconds(1));
            CommandResult next = session.run("echo next", TIMEOUT);

            assertThat(slow.timedOut()).isTrue();
            assertThat(slow.exitStatus()).isNull();
            assertThat(slow.succeeded()).isFalse();
            assertThat(slow.outcome()).startsWith("timed out after ");
            assertThat(slow.outputTail()).isEqualTo("started\n");
            assertThat(next.exitStatus()).isZero();
            assertThat(next.outputTail()).isEqualTo("next\n");
        }
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeAuthenticationAndAnyCommand() {
        SshTestHost pinned = SshTestHost.shared();
        SshTestHost changed = SshTestHost.start();
        // The pins of one host, the address of another: as if the host's key had changed.
        SshHost target = new SshHost(changed.address(), changed.port(), SshTestHost.USER,
                HostKeyPins.parse("web-1", pinned.sha256Fingerprint(), pinned.md5Fingerprint()), changed.privateKeyFile());
        Path marker = changed.home().resolve("marker");

        assertThatThrownBy(() -> {
            try (SshSession session = SshSession.open(target, SshOptions.DEFAULTS)) {
                session.run("touch marker", TIMEOUT);
            }
        }).isInstanceOfSatisfying(SshFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.HOST_KEY_MISMATCH);
            assertThat(failure.reason()).isEqualTo("host key of 127.0.0.1:" + changed.port() + " is "
                    + changed.sha256Fingerprint() + " (" + changed.md5Fingerprint() + ", ecdsa-sha2-nistp256), expected "
                    + pinned.sha256Fingerprint() + " or " + pinned.md5Fingerprint());
        });
        assertThat(changed.connections()).isEqualTo(1);
        assertThat(changed.authentications()).isZero();
        assertThat(marker).doesNotExist();
        changed.close();
    }

    @Test
    void aPinInMd5FormIsAccepted() throws Exception {
        String md5 = "MD5:" + host.md5Fingerprint().substring(4).toUpperCase(Locale.ROOT);

        try (SshSession session = SshSession.open(host.sshHost(HostKeyPins.parse("web-1", md5)), SshOptions.DEFAULTS)) {
            assertThat(session.run("echo md5", TIMEOUT).outputTail()).isEqualTo("md5\n");
        }
    }

    @Test
    void theFingerprintsOpenSshPrintsForTheHostArePinsItIsAcceptedBy() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keyscan")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")),
                "OpenSSH's ssh-keyscan and ssh-keygen are installed");

        for (String form : new String[] {"", "-E md5 "}) {
            // The README's recipe, as an operator runs it.
            String printed = shell("ssh-keyscan -p " + host.port() + " 127.0.0.1 2>/dev/null | ssh-keygen " + form + "-lf -");
            String pin = printed.strip().split("\\s+")[1];

            assertThat(pin).isEqualTo(form.isEmpty() ? host.sha256Fingerprint() : host.md5Fingerprint());
            try (SshSession session = SshSession.open(host.sshHost(HostKeyPins.parse("web-1", pin)), SshOptions.DEFAULTS)) {
                assertThat(session.run("echo pinned", TIMEOUT).outputTail()).isEqualTo("pinned\n");
            }
        }
    }

    @Test
    void aKeyTheHostDoesNotAcceptIsRejectedWithoutNamingTheKeyFile(@TempDir Path folder) {
        Path otherKey = SshTestHost.writePrivateKey(SshTestHost.newKeyPair(), folder);
        SshHost target = new SshHost(host.address(), host.port(), SshTestHost.USER, host.sshHost().hostKeys(), otherKey);

        assertThatThrownBy(() -> SshSession.open(target, SshOptions.DEFAULTS))
                .isInstanceOfSatisfying(SshFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(Kind.AUTH_REJECTED);
                    assertThat(failure.reason()).isEqualTo(host.sshHost().endpoint() + " refused the configured key of user deployer");
                    assertThat(failure.reason()).doesNotContain(otherKey.toString()).doesNotContain(folder.toString());
                });
    }

    @Test
    void anUnreadableKeyIsRefusedWithoutConnectingOrNamingTheFile(@TempDir Path folder) throws IOException {
        Path missing = folder.resolve("id_missing");
        Path notAKey = Files.writeString(folder.resolve("id_garbage"), "not a key\n");
        int connectionsBefore = host.connections();

        for (Path key : new Path[] {missing, notAKey}) {
            SshHost target = new SshHost(host.address(), host.port(), SshTestHost.USER, host.sshHost().hostKeys(), key);
            assertThatThrownBy(() -> SshSession.open(target, SshOptions.DEFAULTS))
                    .isInstanceOfSatisfying(SshFailure.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(Kind.PRIVATE_KEY_UNREADABLE);
                        assertThat(failure.reason()).startsWith("the private-key-file of deployer@127.0.0.1:")
                                .doesNotContain(folder.toString());
                    });
        }
        assertThat(host.connections()).isEqualTo(connectionsBefore);
    }

    @Test
    void aClosedPortIsRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SshHost target = new SshHost("127.0.0.1", port, SshTestHost.USER, host.sshHost().hostKeys(), host.privateKeyFile());

        assertThatThrownBy(() -> SshSession.open(target, SshOptions.DEFAULTS))
                .isInstanceOfSatisfying(SshFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(Kind.REFUSED);
                    assertThat(failure.reason()).isEqualTo("127.0.0.1:" + port + " refused the connection");
                });
    }

    @Test
    void aPortThatNeverSpeaksSshTimesOut() throws IOException {
        // The kernel accepts the connection into the backlog; nobody ever answers.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            SshHost target = new SshHost("127.0.0.1", silent.getLocalPort(), SshTestHost.USER, host.sshHost().hostKeys(),
                    host.privateKeyFile());

            assertThatThrownBy(() -> SshSession.open(target, SshOptions.DEFAULTS.withConnectTimeout(Duration.ofSeconds(1))))
                    .isInstanceOfSatisfying(SshFailure.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(Kind.TIMED_OUT);
                        assertThat(failure.reason()).isEqualTo("no SSH handshake from 127.0.0.1:" + silent.getLocalPort() + " within 1s");
                    });
        }
    }

    private static String shell(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void anUnknownHostIsUnreachable() {
        SshHost target = new SshHost("no-such-host.invalid", 22, SshTestHost.USER, host.sshHost().hostKeys(), host.privateKeyFile());

        assertThatThrownBy(() -> SshSession.open(target, SshOptions.DEFAULTS))
                .isInstanceOfSatisfying(SshFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
                    assertThat(failure.reason()).isEqualTo("unknown host no-such-host.invalid");
                });
    }
}
