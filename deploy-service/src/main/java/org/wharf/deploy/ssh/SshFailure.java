package org.wharf.deploy.ssh;

/**
 * Why a host could not be reached, authenticated or kept: a kind to act on and a one-line reason naming the
 * host, fit for an event or a log line as it is (never the private key's location or contents).
 */
public class SshFailure extends Exception {

    public enum Kind {
        /** Nothing listens on the port (connection refused). */
        REFUSED,
        /** No connection, or no SSH handshake, within the connect timeout. */
        TIMED_OUT,
        /** The address does not resolve or cannot be routed to. */
        UNREACHABLE,
        /** The host presented a key matching none of its pins; nothing was sent to it. */
        HOST_KEY_MISMATCH,
        /** The host refused the configured key. */
        AUTH_REJECTED,
        /** The configured private key cannot be read; nothing was connected. */
        PRIVATE_KEY_UNREADABLE,
        /** The connection broke once established. */
        DISCONNECTED,
        /** Any other SSH protocol failure. */
        FAILED
    }

    private final Kind kind;

    public SshFailure(Kind kind, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = kind;
    }

    public SshFailure(Kind kind, String reason) {
        this(kind, reason, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The one-line reason. */
    public String reason() {
        return getMessage();
    }
}
