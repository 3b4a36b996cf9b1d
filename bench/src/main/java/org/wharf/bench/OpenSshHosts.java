package org.wharf.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deploy hosts for a benchmark: OpenSSH servers ({@code /usr/sbin/sshd -D -e -f <own config>}) on 127.0.0.1,
 * each on a port, with a host key of its own, accepting one client key (public-key authentication only),
 * as root. An inventory names one {@code root} folder for all hosts of an application, so every sshd runs in
 * a mount namespace of its own ({@code unshare --mount}) where {@link #mountPoint()} is its own folder
 * ({@link Host#box()}): the same path on every host, sixteen different folders on this machine.
 */
final class OpenSshHosts implements AutoCloseable {

    static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Pattern LISTENING = Pattern.compile("Server listening on 127\\.0\\.0\\.1 port (\\d+)");

    /** One host: its number (1…), port, its folder as this machine sees it, its fingerprints as ssh-keygen prints them. */
    record Host(int number, int port, Path box, String sha256, String md5, String knownHostsLine, Process sshd) {

        String name() {
            return String.format("h%02d", number);
        }
    }

    private final Path mountPoint;
    private final Path clientKey;
    private final List<Host> hosts;

    private OpenSshHosts(Path mountPoint, Path clientKey, List<Host> hosts) {
        this.mountPoint = mountPoint;
        this.clientKey = clientKey;
        this.hosts = hosts;
    }

    /** Starts {@code count} hosts under {@code work}: {@code work/hosts/hNN/{sshd,box}}, the client key in {@code work/keys}. */
    static OpenSshHosts start(Path work, int count) throws IOException, InterruptedException {
        Path keys = Files.createDirectories(work.resolve("keys"));
        Path clientKey = keygen(keys.resolve("id_ed25519"));
        Path mountPoint = Files.createDirectories(work.resolve("host"));
        Files.createDirectories(Path.of("/run/sshd")); // sshd started by root separates privileges there
        List<Host> hosts = new ArrayList<>();
        OpenSshHosts all = new OpenSshHosts(mountPoint, clientKey, hosts);
        try {
            for (int number = 1; number <= count; number++) {
                hosts.add(startHost(work, number, mountPoint, keys.resolve("id_ed25519.pub")));
            }
            return all;
        } catch (IOException | InterruptedException | RuntimeException e) {
            all.close();
            throw e;
        }
    }

    private static Host startHost(Path work, int number, Path mountPoint, Path clientPublicKey) throws IOException, InterruptedException {
        Path dir = work.resolve(String.format("hosts/h%02d", number));
        Path sshd = Files.createDirectories(dir.resolve("sshd"));
        Path box = Files.createDirectories(dir.resolve("box"));
        Path hostKey = sshd.resolve("ssh_host_ed25519_key");
        if (!Files.exists(hostKey)) {
            keygen(hostKey);
        }
        Path authorized = sshd.resolve("authorized_keys");
        Files.copy(clientPublicKey, authorized, StandardCopyOption.REPLACE_EXISTING);
        String sha256 = run("ssh-keygen", "-l", "-E", "sha256", "-f", hostKey + ".pub").split(" ")[1];
        String md5 = run("ssh-keygen", "-l", "-E", "md5", "-f", hostKey + ".pub").split(" ")[1];
        String[] publicKey = Files.readString(Path.of(hostKey + ".pub")).strip().split(" ");
        Path log = sshd.resolve("sshd.log");
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path config = sshd.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + hostKey,
                    "PidFile " + sshd.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + authorized,
                    "StrictModes no",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PermitRootLogin prohibit-password",
                    "AllowUsers root",
                    "MaxSessions 64",
                    "Subsystem sftp /usr/lib/openssh/sftp-server",
                    ""));
            Files.deleteIfExists(log);
            // The host's root home is a clean one, as a deploy user's is: this machine's /root/.bashrc (pyenv and
            // cargo set-up, 250 ms of CPU) would otherwise run before every command of both sides, since bash
            // reads ~/.bashrc when sshd starts it.
            Path home = Files.createDirectories(dir.resolve("home"));
            Process process = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                    "mount --bind \"$1\" \"$2\" && mount --bind \"$5\" /root && exec \"$3\" -D -e -f \"$4\"", "sh",
                    box.toString(), mountPoint.toString(), SSHD.toString(), config.toString(), home.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            String text = "";
            for (long until = System.nanoTime() + Duration.ofSeconds(20).toNanos(); System.nanoTime() < until; Thread.sleep(50)) {
                text = Files.readString(log);
                if (LISTENING.matcher(text).find() || !process.isAlive()) {
                    break;
                }
            }
            Matcher listening = LISTENING.matcher(text);
            if (listening.find() && process.isAlive()) {
                return new Host(number, port, box, sha256, md5, "[127.0.0.1]:" + port + " " + publicKey[0] + " " + publicKey[1], process);
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            if (attempt == 3) {
                throw new IllegalStateException("sshd of host " + number + " did not start: " + text.strip());
            }
        }
    }

    List<Host> hosts() {
        return hosts;
    }

    /** The path each host sees as its own folder. */
    Path mountPoint() {
        return mountPoint;
    }

    Path clientKey() {
        return clientKey;
    }

    /** {@code known_hosts} lines of every host, as {@code ssh-keyscan} would give them. */
    String knownHosts() {
        StringBuilder lines = new StringBuilder();
        hosts.forEach(host -> lines.append(host.knownHostsLine()).append('\n'));
        return lines.toString();
    }

    @Override
    public void close() {
        for (Host host : hosts) {
            host.sshd().destroy();
        }
        for (Host host : hosts) {
            try {
                if (!host.sshd().waitFor(10, TimeUnit.SECONDS)) {
                    host.sshd().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                host.sshd().destroyForcibly();
            }
        }
    }

    private static Path keygen(Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".pub"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "wharf-bench", "-f", file.toString());
        return file;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
