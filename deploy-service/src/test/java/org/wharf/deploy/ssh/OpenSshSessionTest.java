package org.wharf.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.common.infra.Folders;
import org.wharf.deploy.health.HealthCheck;
import org.wharf.deploy.health.HealthSpec;
import org.wharf.deploy.release.ReleaseFolders;
import org.wharf.deploy.ssh.SshFailure.Kind;

import com.sun.net.httpserver.HttpServer;

/**
 * Wharf's SSH client, release folders and health check against a real OpenSSH {@code sshd} (not MINA SSHD):
 * its own configuration, an ed25519 host key made by {@code ssh-keygen}, public-key authentication only, on
 * 127.0.0.1 as the current user. The fingerprints pinned are the ones {@code ssh-keygen -l} prints, so
 * Wharf's are checked against OpenSSH's own. Runs only where {@code /usr/sbin/sshd} is installed
 * ({@code apt-get install openssh-server}); elsewhere the class is skipped with that reason.
 */
@EnabledIf(value = "sshdInstalled", disabledReason = "needs OpenSSH's " + OpenSshSessionTest.SSHD + " (apt-get install openssh-server)")
class OpenSshSessionTest {

    static final String SSHD = "/usr/sbin/sshd";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("Server listening on 127\\.0\\.0\\.1 port (\\d+)");

    @TempDir
    static Path temp;

    private static Path keys;
    private static Path clientKey;
    private static Path hostKeyPub;
    private static Path otherHostKeyPub;
    private static Path log;
    private static Process sshd;
    private static int port;
    private static String user;

    static boolean sshdInstalled() {
        boolean installed = Files.isExecutable(Path.of(SSHD));
        if (!installed) {
            System.out.println("OpenSshSessionTest skipped: " + SSHD + " is not installed (apt-get install openssh-server)");
        }
        return installed;
    }

    @BeforeAll
    static void startSshd() throws Exception {
        user = System.getProperty("user.name");
        keys = Files.createDirectory(temp.resolve("keys"));
        Path hostKey = keygen("ssh_host_ed25519_key", "");
        hostKeyPub = keys.resolve("ssh_host_ed25519_key.pub");
        keygen("other_host_ed25519_key", "");
        otherHostKeyPub = keys.resolve("other_host_ed25519_key.pub");
        clientKey = keygen("id_ed25519", "");
        Path authorized = keys.resolve("authorized_keys");
        Files.copy(keys.resolve("id_ed25519.pub"), authorized);
        if ("root".equals(user)) {
            // sshd started by root separates privileges into this folder, which Debian's service script makes.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        log = temp.resolve("sshd.log");
        for (int attempt = 1; sshd == null; attempt++) {
            int candidate = freePort();
            Path config = temp.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "Port " + candidate,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + hostKey,
                    "PidFile " + temp.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + authorized,
                    "StrictModes no",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PermitRootLogin prohibit-password",
                    "AllowUsers " + user,
                    // VERBOSE names every authentication and every command session: what the refusals assert on
                    "LogLevel VERBOSE",
                    ""));
            Process started = new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            String line = awaitLog(text -> LISTENING.matcher(text).find() || !started.isAlive(), Duration.ofSeconds(20));
            Matcher listening = LISTENING.matcher(line);
            if (listening.find() && started.isAlive()) {
                port = Integer.parseInt(listening.group(1));
                sshd = started;
            } else {
                started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                if (attempt == 3) { // the port was taken in between, three times, or sshd refuses to start
                    throw new IllegalStateException("sshd did not start: " + line);
                }
            }
        }
    }

    @AfterAll
    static void stopSshd() throws InterruptedException {
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theSha256PinAsSshKeygenPrintsItConnectsWithTheKeyAlone() throws Exception {
        String pin = fingerprint(hostKeyPub, "sha256");
        assertThat(pin).startsWith("SHA256:");
        int accepted = count("Accepted publickey for " + user + " ");

        try (SshSession session = SshSession.open(host(pin, clientKey), SshOptions.DEFAULTS)) {
            CommandResult whoami = session.run("id -un; echo \"$SSH_CONNECTION\"", TIMEOUT);
            CommandResult failing = session.run("exit 7", TIMEOUT);

            assertThat(whoami.succeeded()).isTrue();
            assertThat(whoami.outputTail()).startsWith(user + "\n").contains(" 127.0.0.1 " + port);
            assertThat(failing.outcome()).isEqualTo("exit 7");
        }
        // sshd accepted the connection by public key (the only method its configuration allows)
        assertThat(count("Accepted publickey for " + user + " ")).isEqualTo(accepted + 1);
    }

    @Test
    void theMd5PinAsSshKeygenPrintsItConnects() throws Exception {
        String pin = fingerprint(hostKeyPub, "md5");
        assertThat(pin).startsWith("MD5:");

        try (SshSession session = SshSession.open(host(pin, clientKey), SshOptions.DEFAULTS)) {
            assertThat(session.run("echo pinned by md5", TIMEOUT).outputTail()).isEqualTo("pinned by md5\n");
        }
    }

    @Test
    void aWrongPinIsRefusedBeforeAuthenticationAndAnyCommandWithBothFingerprintsInTheReason() throws Exception {
        String wrong = fingerprint(otherHostKeyPub, "sha256");
        String presentedSha256 = fingerprint(hostKeyPub, "sha256");
        String presentedMd5 = fingerprint(hostKeyPub, "md5");
        Path marker = temp.resolve("ran-despite-the-wrong-pin");
        int closed = count("[preauth]");
        int accepted = count("Accepted publickey");
        int sessions = count("Starting session");

        assertThatThrownBy(() -> {
            try (SshSession session = SshSession.open(host(wrong, clientKey), SshOptions.DEFAULTS)) {
                session.run("touch '" + marker + "'", TIMEOUT);
            }
        }).isInstanceOfSatisfying(SshFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.HOST_KEY_MISMATCH);
            assertThat(failure.reason())
                    .contains("127.0.0.1:" + port)
                    .contains(presentedSha256)
                    .contains(presentedMd5)
                    .contains("expected " + wrong)
                    .doesNotContain("\n");
        });

        // sshd saw the connection end before authentication; no key was accepted, no command session started
        awaitLog(text -> count(text, "[preauth]") > closed, Duration.ofSeconds(20));
        assertThat(count("Accepted publickey")).isEqualTo(accepted);
        assertThat(count("Starting session")).isEqualTo(sessions);
        assertThat(marker).doesNotExist();
    }

    @Test
    void onlyAnAuthorizedKeyWithoutPassphraseAuthenticatesAndNothingElseIsTried() throws Exception {
        String pin = fingerprint(hostKeyPub, "sha256");
        Path stranger = keygen("stranger_ed25519", "");
        Path protectedKey = keygen("protected_ed25519", "a passphrase");
        int from = Files.readString(log).length();

        assertThatThrownBy(() -> SshSession.open(host(pin, stranger), SshOptions.DEFAULTS))
                .isInstanceOfSatisfying(SshFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(Kind.AUTH_REJECTED);
                    assertThat(failure.reason()).contains("127.0.0.1:" + port).doesNotContain(stranger.toString());
                });
        assertThatThrownBy(() -> SshSession.open(host(pin, protectedKey), SshOptions.DEFAULTS))
                .isInstanceOfSatisfying(SshFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(Kind.PRIVATE_KEY_UNREADABLE);
                    assertThat(failure.reason()).doesNotContain(protectedKey.toString());
                });
        // then a good connection: once its key is accepted, whatever the two before did is in the log
        try (SshSession session = SshSession.open(host(pin, clientKey), SshOptions.DEFAULTS)) {
            session.run("true", TIMEOUT);
        }
        String since = awaitLog(text -> text.substring(from).contains("Accepted publickey"), Duration.ofSeconds(20)).substring(from);

        // the stranger's key was offered and refused; the protected key never left the client (no connection)
        assertThat(count(since, "Failed publickey for " + user + " ")).isEqualTo(1);
        assertThat(count(since, "Connection from 127.0.0.1")).isEqualTo(2);
        // and no other method (password, keyboard-interactive) was ever tried
        assertThat(since).doesNotContainIgnoringCase("password").doesNotContain("keyboard-interactive");
    }

    @Test
    void releaseFoldersFetchLinkAndSwitchOnTheOpenSshHost() throws Exception {
        Path work = Files.createDirectories(temp.resolve("release-work/app"));
        git(work, "init", "--quiet", "--initial-branch=main");
        Files.writeString(work.resolve("app.txt"), "v1\n");
        git(work, "add", "app.txt");
        git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "v1");
        Path repository = temp.resolve("release-work/app.git");
        git(temp, "clone", "--quiet", "--bare", work.toString(), repository.toString());
        String v1 = git(repository, "rev-parse", "main").strip();
        Path root = temp.resolve("release-work/srv/app");
        Files.writeString(Files.createDirectories(root.resolve("shared")).resolve(".env"), "KEY=1\n");

        try (SshSession session = SshSession.open(host(fingerprint(hostKeyPub, "sha256"), clientKey), SshOptions.DEFAULTS)) {
            ReleaseFolders folders = new ReleaseFolders(session, root.toString(), TIMEOUT);
            assertThat(folders.current()).isEmpty();

            assertThat(folders.fetch("20261202040000", repository.toString(), "main")).isEqualTo(v1);
            folders.linkShared("20261202040000", List.of(".env"));
            folders.switchTo("20261202040000");

            assertThat(folders.current()).contains("20261202040000");
            assertThat(Files.readSymbolicLink(root.resolve("current"))).isEqualTo(Path.of("releases/20261202040000"));
            assertThat(root.resolve("current/app.txt")).hasContent("v1");
            assertThat(Files.readSymbolicLink(root.resolve("releases/20261202040000/.env"))).isEqualTo(root.resolve("shared/.env"));
            assertThat(root.resolve("current/.env")).hasContent("KEY=1");

            // a second release, from a branch pushed later, switched over the first
            git(work, "checkout", "--quiet", "-b", "feature/next");
            Files.writeString(work.resolve("app.txt"), "v2\n");
            git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-am", "v2");
            git(work, "push", "--quiet", repository.toString(), "feature/next");
            String v2 = git(repository, "rev-parse", "feature/next").strip();

            assertThat(folders.fetch("20261202040100", repository.toString(), "feature/next")).isEqualTo(v2).isNotEqualTo(v1);
            folders.linkShared("20261202040100", List.of(".env"));
            folders.switchTo("20261202040100");

            assertThat(folders.current()).contains("20261202040100");
            assertThat(root.resolve("current/app.txt")).hasContent("v2");
            assertThat(folders.releases()).containsExactly("20261202040000", "20261202040100");
            try (var entries = Files.list(root)) {
                assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("releases", "shared", "current");
            }
        } finally {
            Folders.deleteRecursively(temp.resolve("release-work"));
        }
    }

    @Test
    void theHealthCheckRunsCurlOnTheOpenSshHost() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/datasets/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down/", exchange -> {
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (SshSession session = SshSession.open(host(fingerprint(hostKeyPub, "sha256"), clientKey), SshOptions.DEFAULTS)) {
            HealthCheck.Result up = HealthCheck.onHost(session, HealthSpec.of(base + "/datasets/", 200, 2, Duration.ZERO), d -> { });
            HealthCheck.Result down = HealthCheck.onHost(session, HealthSpec.of(base + "/down/", 200, 1, Duration.ZERO), d -> { });

            assertThat(up.healthy()).isTrue();
            assertThat(up.attempts()).isEqualTo(1);
            assertThat(requests).hasValue(1);
            assertThat(down.healthy()).isFalse();
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.attempts()).isEqualTo(2);
            assertThat(down.reason()).contains("answered 502, expected 200");
        } finally {
            server.stop(0);
        }
    }

    private static SshHost host(String pin, Path privateKey) {
        return new SshHost("127.0.0.1", port, user, HostKeyPins.parse("127.0.0.1:" + port, pin), privateKey);
    }

    /** A new ed25519 key pair made by ssh-keygen; answers the private key's file. */
    private static Path keygen(String name, String passphrase) throws Exception {
        Path file = keys.resolve(name);
        run(temp, "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "wharf-test", "-f", file.toString());
        return file;
    }

    /** The key's fingerprint as {@code ssh-keygen -l -E <hash>} prints it (OpenSSH's computation, not Wharf's). */
    private static String fingerprint(Path publicKey, String hash) throws Exception {
        return run(temp, "ssh-keygen", "-l", "-E", hash, "-f", publicKey.toString()).split(" ")[1];
    }

    private static String git(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(dir, command);
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static int count(String text) throws IOException {
        return count(Files.readString(log), text);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    /** Waits for sshd's log to satisfy {@code until}; answers the log then (or as it is when the time is up). */
    private static String awaitLog(Predicate<String> until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = Files.exists(log) ? Files.readString(log) : "";
        while (!until.test(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            text = Files.readString(log);
        }
        return text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
