package org.wharf.deploy.ssh;

import java.time.Duration;

/**
 * How a session connects and reports: {@code connectTimeout} bounds the TCP connect and each step of the
 * handshake and authentication; {@code outputTailBytes} is how much of a command's output (the last bytes of
 * standard output and standard error together) a result keeps; {@code keepAlive} keeps a quiet connection
 * open while a long command runs.
 */
public record SshOptions(Duration connectTimeout, int outputTailBytes, Duration keepAlive) {

    public static final SshOptions DEFAULTS = new SshOptions(Duration.ofSeconds(10), 64 * 1024, Duration.ofSeconds(15));

    public SshOptions {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive: " + connectTimeout);
        }
        if (outputTailBytes < 1) {
            throw new IllegalArgumentException("output tail must keep at least one byte: " + outputTailBytes);
        }
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("keep-alive must not be negative: " + keepAlive);
        }
    }

    public SshOptions withConnectTimeout(Duration timeout) {
        return new SshOptions(timeout, outputTailBytes, keepAlive);
    }

    public SshOptions withOutputTailBytes(int bytes) {
        return new SshOptions(connectTimeout, bytes, keepAlive);
    }
}
