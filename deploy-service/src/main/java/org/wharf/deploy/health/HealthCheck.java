package org.wharf.deploy.health;

import java.time.Duration;

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
        long started = System.nanoTime();
        Integer status = null;
        String last = null;
        int attempts = 0;
        while (true) {
            attempts++;
            CommandResult result = session.run(command, commandTimeout);
            String output = result.outputTail().strip();
            String code = output.length() >= 3 ? output.substring(output.length() - 3) : output;
            status = code.matches("[1-5][0-9][0-9]") ? Integer.valueOf(code) : null;
            if (status != null && status == spec.expectStatus()) {
                return new Result(true, attempts, status, "GET " + spec.url() + " answered " + status + " (attempt " + attempts + ")");
            }
            if (status != null) {
                last = "answered " + status + ", expected " + spec.expectStatus();
            } else if (result.exitStatus() != null && result.exitStatus() == 127) {
                last = "curl is not installed on the host";
            } else {
                String error = output.replaceFirst("000$", "").strip();
                last = "no answer" + (error.isEmpty() ? " (" + result.outcome() + ")" : ": " + firstLine(error));
            }
            if (attempts > spec.retries()) {
                break;
            }
            pause.pause(spec.interval());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(false, attempts, status, String.format(java.util.Locale.ROOT, "GET %s %s (%d attempts over %.1f s)",
                spec.url(), last, attempts, seconds));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
