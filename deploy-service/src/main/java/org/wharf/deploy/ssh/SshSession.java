package org.wharf.deploy.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wharf.deploy.ssh.SshFailure.Kind;
import org.wharf.deploy.ssh.internal.OutputTail;
import org.wharf.deploy.ssh.internal.PinnedHostKeyVerifier;

/**
 * One SSH connection to one host, opened once and carrying every command of a deploy there (each command is
 * a channel on it), then closed. Opening checks the host key against its pins before anything else and
 * authenticates with the configured private key only: no password, no agent.
 */
public final class SshSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshSession.class);

    // Building sshj's algorithm lists is not free and they never change: one configuration for all sessions.
    // Keep-alives that want an answer (keepalive@openssh.com): a host that stopped answering is found out.
    private static final Config CONFIG = config();

    // How long the output of a command is still read once its channel has closed or been closed.
    private static final long DRAIN_GRACE_MILLIS = 5_000;

    private final SshHost host;
    private final SshOptions options;
    private final SSHClient client;

    private SshSession(SshHost host, SshOptions options, SSHClient client) {
        this.host = host;
        this.options = options;
        this.client = client;
    }

    /** Connects, verifies the host key, authenticates: a session ready for commands, or the reason it is not. */
    public static SshSession open(SshHost host, SshOptions options) throws SshFailure {
        SSHClient client = new SSHClient(CONFIG);
        KeyProvider key = privateKey(client, host);
        PinnedHostKeyVerifier verifier = new PinnedHostKeyVerifier(host.endpoint(), host.hostKeys());
        client.addHostKeyVerifier(verifier);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
        client.setConnectTimeout(timeoutMillis);
        // Bounds every read of the handshake (a port that accepts but never speaks SSH would hang otherwise);
        // lifted once authenticated, as a command may be quiet for long, and the keep-alives take over.
        client.setTimeout(timeoutMillis);
        client.getTransport().setTimeoutMs(timeoutMillis);
        client.getConnection().setTimeoutMs(timeoutMillis);
        client.getConnection().getKeepAlive().setKeepAliveInterval((int) options.keepAlive().toSeconds());
        try {
            client.connect(host.address(), host.port());
            // Without it every command waited for a delayed ACK: Nagle held back the small packet that
            // closes a channel's request or its EOF, about 40 ms a command on Linux (measured: 48 ms per
            // `true` against 5 ms with it, one connection, an idle machine).
            client.getSocket().setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            throw connectFailure(host, options, verifier, e);
        }
        try {
            client.authPublickey(host.user(), key);
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw new SshFailure(Kind.AUTH_REJECTED, host.endpoint() + " refused the configured key of user " + host.user());
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            throw lost(host, e);
        }
        try {
            client.getSocket().setSoTimeout(0);
        } catch (IOException e) {
            closeQuietly(client);
            throw lost(host, e);
        }
        log.debug("Connected to {}", host);
        return new SshSession(host, options, client);
    }

    public SshHost host() {
        return host;
    }

    /** Whether small packets go out at once (TCP_NODELAY) on this connection; see {@link #open}. */
    boolean sendsSmallPacketsAtOnce() {
        try {
            return client.getSocket().getTcpNoDelay();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} on the host (by the login shell of its user) with no standard input and waits for it
     * at most {@code timeout}; past it the command's channel is signalled KILL and closed, and the result says
     * it timed out. A command that ran is a result whatever its exit status; only a broken connection is a
     * failure.
     */
    public CommandResult run(String command, Duration timeout) throws SshFailure {
        long started = System.nanoTime();
        OutputTail output = new OutputTail(options.outputTailBytes());
        Session session;
        Session.Command running;
        try {
            session = client.startSession();
            running = session.exec(command);
        } catch (IOException | RuntimeException e) {
            throw lost(host, e);
        }
        try {
            running.getOutputStream().close();
            Thread stdout = drain(running.getInputStream(), output, "out");
            Thread stderr = drain(running.getErrorStream(), output, "err");
            boolean timedOut = !awaitEnd(running, timeout);
            if (timedOut) {
                kill(running);
            }
            stdout.join(DRAIN_GRACE_MILLIS);
            stderr.join(DRAIN_GRACE_MILLIS);
            Integer status = timedOut ? null : running.getExitStatus();
            Signal signal = timedOut ? null : running.getExitSignal();
            if (status == null && signal == null && !timedOut && !client.isConnected()) {
                throw new SshFailure(Kind.DISCONNECTED, "connection to " + host.endpoint() + " lost while a command ran");
            }
            return new CommandResult(status, signal == null ? null : signal.name(), timedOut,
                    Duration.ofNanos(System.nanoTime() - started), output.text(), output.total(), output.truncated());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(running);
            throw new SshFailure(Kind.FAILED, "interrupted while a command ran on " + host.endpoint());
        } catch (IOException e) {
            throw lost(host, e);
        } finally {
            closeQuietly(session);
        }
    }

    /** Closes the connection; idempotent. */
    @Override
    public void close() {
        closeQuietly(client);
    }

    // Reads the key before connecting: a key that cannot be used is a configuration problem, told without
    // touching the host. Neither the key's location nor sshj's message (which may hold it) goes in the reason.
    private static KeyProvider privateKey(SSHClient client, SshHost host) throws SshFailure {
        if (!Files.isReadable(host.privateKeyFile()) || Files.isDirectory(host.privateKeyFile())) {
            throw new SshFailure(Kind.PRIVATE_KEY_UNREADABLE,
                    "the private-key-file of " + host + " does not exist or cannot be read");
        }
        try {
            KeyProvider key = client.loadKeys(host.privateKeyFile().toString());
            key.getPrivate();
            return key;
        } catch (IOException | RuntimeException e) {
            throw new SshFailure(Kind.PRIVATE_KEY_UNREADABLE, "the private-key-file of " + host
                    + " is not a private key without passphrase in OpenSSH, PEM or PuTTY form");
        }
    }

    private static SshFailure connectFailure(SshHost host, SshOptions options, PinnedHostKeyVerifier verifier, Exception e) {
        String endpoint = host.endpoint();
        if (verifier.refusal() != null) {
            return new SshFailure(Kind.HOST_KEY_MISMATCH, verifier.refusal());
        }
        if (e instanceof ConnectException && !(e instanceof NoRouteToHostException)) {
            return new SshFailure(Kind.REFUSED, endpoint + " refused the connection", e);
        }
        if (e instanceof NoRouteToHostException) {
            return new SshFailure(Kind.UNREACHABLE, "no route to " + endpoint, e);
        }
        if (e instanceof UnknownHostException) {
            return new SshFailure(Kind.UNREACHABLE, "unknown host " + host.address(), e);
        }
        if (e instanceof SocketTimeoutException) {
            return new SshFailure(Kind.TIMED_OUT, "no connection to " + endpoint + " within " + seconds(options), e);
        }
        if (causedBy(e, TimeoutException.class) || causedBy(e, SocketTimeoutException.class)) {
            return new SshFailure(Kind.TIMED_OUT, "no SSH handshake from " + endpoint + " within " + seconds(options), e);
        }
        return new SshFailure(Kind.FAILED, "SSH handshake with " + endpoint + " failed: " + oneLine(e), e);
    }

    private static Config config() {
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        return config;
    }

    private static SshFailure lost(SshHost host, Exception e) {
        return new SshFailure(Kind.DISCONNECTED, "connection to " + host.endpoint() + " lost: " + oneLine(e), e);
    }

    // True if the command's channel closed within the timeout, false if it is still open then.
    private boolean awaitEnd(Session.Command running, Duration timeout) throws ConnectionException {
        try {
            running.join(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (ConnectionException e) {
            if (running.isOpen() && client.isConnected()) {
                return false;
            }
            if (!client.isConnected()) {
                throw e;
            }
            return true;
        }
    }

    // The signal ends the command on servers that honour it; closing the channel ends it on the others
    // that tie a command to its channel, and frees this side at once in any case.
    private void kill(Session.Command running) {
        try {
            running.signal(Signal.KILL);
        } catch (IOException | RuntimeException e) {
            log.debug("KILL to a command on {} not sent: {}", host, e.toString());
        }
        closeQuietly(running);
    }

    private Thread drain(InputStream in, OutputTail output, String stream) {
        Thread thread = new Thread(() -> {
            try {
                output.drain(in);
            } catch (IOException e) {
                log.debug("Reading the std{} of a command on {} stopped: {}", stream, host, e.toString());
            }
        }, "ssh-" + host.endpoint() + "-std" + stream);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }

    private static String seconds(SshOptions options) {
        return options.connectTimeout().toMillis() % 1000 == 0
                ? options.connectTimeout().toSeconds() + "s"
                : options.connectTimeout().toMillis() + "ms";
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("Closing an SSH resource failed: {}", e.toString());
        }
    }
}
