package org.wharf.deploy.health;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

import org.wharf.common.util.Reasons;
import org.wharf.deploy.ssh.CommandResult;
import org.wharf.deploy.ssh.SshFailure;
import org.wharf.deploy.ssh.SshSession;

/**
 * Checks an application's health <em>on the host</em>: {@code curl} over the deploy's own SSH
 * connection. The URL an operator checks by hand is usually the application server's own port on
 * 127.0.0.1 (behind the web server that answers 502 when it is down), reachable from the host only;
 * checking from the host needs no port opened to Wharf, and sees what the web server sees. The host
 * needs {@code curl}.
 */
public final class HealthCheck {

    /** Waits between attempts; a test may pass its own. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;

        Pause SLEEP = duration -> Thread.sleep(duration.toMillis());
    }

    /**
     * @param healthy  an attempt answered the expected status
     * @param attempts requests made
     * @param status   the last HTTP status, null when the last request got no answer
     * @param reason   one line: what answered, or why nothing did
     */
    public record Result(boolean healthy, int attempts, Integer status, String reason) {
    }

    private HealthCheck() {
    }

    public static Result onHost(SshSession session, HealthSpec spec, Pause pause) throws SshFailure, InterruptedException {
        String command = "curl --silent --show-error --output /dev/null --write-out '%{http_code}' --proto '=http,https' --max-time "
                + Math.max(1, spec.requestTimeout().toSeconds()) + " '" + spec.url() + "'";
        Duration commandTimeout = spec.requestTimeout().plusSeconds(5);
        return check(spec, pause, () -> {
            CommandResult result = session.run(command, commandTimeout);
            String output = result.outputTail().strip();
            String code = output.length() >= 3 ? output.substring(output.length() - 3) : output;
            if (code.matches("[1-5][0-9][0-9]")) {
                return new Attempt(Integer.valueOf(code), null);
            }
            if (result.exitStatus() != null && result.exitStatus() == 127) {
                return new Attempt(null, "curl is not installed on the host");
            }
            String error = output.replaceFirst("000$", "").strip();
            return new Attempt(null, "no answer" + (error.isEmpty() ? " (" + result.outcome() + ")" : ": " + firstLine(error)));
        });
    }

    /**
     * Checks from the deploy-service itself ({@code health.from: wharf}): for a URL that Wharf reaches and
     * the host's own curl would not see as users do (behind a load balancer, say). Redirects are not followed.
     */
    public static Result fromWharf(HealthSpec spec, Pause pause) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(spec.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(spec.url()).timeout(spec.requestTimeout()).GET().build();
        try {
            return check(spec, pause, () -> {
                try {
                    return new Attempt(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode(), null);
                } catch (IOException e) {
                    return new Attempt(null, "no answer: " + Reasons.of(e));
                }
            });
        } catch (SshFailure e) {
            throw new IllegalStateException("no SSH in a check from Wharf", e);
        }
    }

    /** One request's answer: its status, or why there was none. */
    private record Attempt(Integer status, String failure) {
    }

    @FunctionalInterface
    private interface Probe {
        Attempt attempt() throws SshFailure, InterruptedException;
    }

    private static Result check(HealthSpec spec, Pause pause, Probe probe) throws SshFailure, InterruptedException {
        long started = System.nanoTime();
        Integer status;
        String last;
        int attempts = 0;
        while (true) {
            attempts++;
            Attempt attempt = probe.attempt();
            status = attempt.status();
            if (status != null && status == spec.expectStatus()) {
                return new Result(true, attempts, status, "GET " + spec.url() + " answered " + status + " (attempt " + attempts + ")");
            }
            last = status != null ? "answered " + status + ", expected " + spec.expectStatus() : attempt.failure();
            if (attempts > spec.retries()) {
                break;
            }
            pause.pause(spec.interval());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(false, attempts, status, String.format(Locale.ROOT, "GET %s %s (%d attempts over %.1f s)",
                spec.url(), last, attempts, seconds));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
