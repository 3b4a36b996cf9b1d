package org.wharf.deploy.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wharf.deploy.ssh.SshOptions;
import org.wharf.deploy.ssh.SshSession;
import org.wharf.deploy.testsupport.SshTestHost;

import com.sun.net.httpserver.HttpServer;

/** Health checks made on a real SSH host with curl, against a real HTTP server on 127.0.0.1. */
class HealthCheckTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int healthyFrom;
    private SshSession session;
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(curlAvailable(), "curl is needed on the (local) host");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/datasets/", exchange -> {
            int n = requests.incrementAndGet();
            exchange.sendResponseHeaders(n >= healthyFrom ? 200 : 502, -1);
            exchange.close();
        });
        server.start();
        session = SshSession.open(SshTestHost.shared().sshHost(), SshOptions.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop(0);
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void fromWharfTheDeployServiceAsksItselfWithTheSameRetries() throws Exception {
        healthyFrom = 2;
        HealthSpec spec = HealthSpec.of(url(), 200, 3, Duration.ofMillis(250));
        HealthCheck.Result result = HealthCheck.fromWharf(spec, pauses::add);
        assertThat(result.healthy()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(pauses).containsExactly(Duration.ofMillis(250));

        healthyFrom = Integer.MAX_VALUE;
        requests.set(0);
        HealthCheck.Result sick = HealthCheck.fromWharf(HealthSpec.of(url(), 200, 1, Duration.ofMillis(10)), pause -> { });
        assertThat(sick.healthy()).isFalse();
        assertThat(sick.status()).isEqualTo(502);
        assertThat(sick.reason()).contains("answered 502, expected 200 (2 attempts over");
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void healthyOnceTheExpectedStatusAnswersRetryingInBetween() throws Exception {
        healthyFrom = 3;

        HealthCheck.Result result = HealthCheck.onHost(session, spec(5), pauses::add);

        assertThat(result.healthy()).isTrue();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.status()).isEqualTo(200);
        assertThat(requests.get()).isEqualTo(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
    }

    @Test
    void unhealthyAfterTheFirstRequestAndItsRetriesNamingTheLastAnswer() throws Exception {
        healthyFrom = Integer.MAX_VALUE;

        HealthCheck.Result result = HealthCheck.onHost(session, spec(2), pauses::add);

        assertThat(result.healthy()).isFalse();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(requests.get()).isEqualTo(3);
        assertThat(result.status()).isEqualTo(502);
        assertThat(result.reason()).startsWith("GET " + url() + " answered 502, expected 200 (3 attempts over ");
    }

    @Test
    void nothingListeningIsNoAnswerWithCurlsReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        HealthSpec spec = HealthSpec.of("http://127.0.0.1:" + closed + "/datasets/", 200, 0, Duration.ZERO);

        HealthCheck.Result result = HealthCheck.onHost(session, spec, pauses::add);

        assertThat(result.healthy()).isFalse();
        assertThat(result.status()).isNull();
        assertThat(result.reason()).contains("no answer").contains("(7)").contains("1 attempts");
        assertThat(pauses).isEmpty();
    }

    @Test
    void aUrlIsHttpAndOneShellWord() {
        assertThatThrownBy(() -> HealthSpec.of("file:///etc/passwd", 200, 1, Duration.ZERO)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> HealthSpec.of("http://127.0.0.1/'$(id)'", 200, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthSpec.of("http://127.0.0.1/", 700, 1, Duration.ZERO)).hasMessageContaining("100-599");
        assertThat(HealthSpec.of("http://127.0.0.1:3579/datasets/", 200, 10, Duration.ofSeconds(2)).longest())
                .isEqualTo(Duration.ofSeconds(11 * 10 + 10 * 2));
    }

    private HealthSpec spec(int retries) {
        return HealthSpec.of(url(), 200, retries, Duration.ofMillis(200));
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/datasets/";
    }

    private static boolean curlAvailable() {
        try {
            return new ProcessBuilder("curl", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
