package org.wharf.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client's attempts are what configuration says ({@code wharf.s3.attempt-timeout}, {@code
 * wharf.s3.max-attempts}), not the SDK's: against a store that accepts connections and never answers,
 * each attempt ends at the attempt timeout (well before the socket's 60 s) and there are max-attempts of them.
 */
class S3ClientTimeoutsTest {

    @Test
    void aStoreThatNeverAnswersGetsMaxAttemptsEachEndedByTheAttemptTimeout() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // read nothing, answer nothing
                        connections.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-s3");
            acceptor.setDaemon(true);
            acceptor.start();

            S3Properties properties = new S3Properties();
            properties.setEndpoint(URI.create("http://127.0.0.1:" + silent.getLocalPort()));
            properties.setAccessKey("a");
            properties.setSecretKey("b");
            properties.setAttemptTimeout(Duration.ofSeconds(1));
            properties.setMaxAttempts(2);
            try (S3Client s3 = S3Clients.create(properties)) {
                Throwable failure = catchThrowable(() -> s3.headBucket(b -> b.bucket("any")));
                assertThat(failure).isInstanceOf(ApiCallAttemptTimeoutException.class);
            }
            assertThat(connections.get()).as("one connection per attempt").isEqualTo(2);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
