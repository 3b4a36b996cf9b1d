package org.wharf.common.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.ConfigurableApplicationContext;

/** A started service's management port (health, Prometheus scrape) on 127.0.0.1, as a prober or a scraper sees it. */
public record ManagementPort(int port) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static ManagementPort of(ConfigurableApplicationContext service) {
        // Spring Boot's record of the port its web server took (server.port 0: any free one).
        return new ManagementPort(service.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks {@code path} until the answer satisfies {@code until}, for at most {@code within}; returns the last answer. */
    public HttpResponse<String> await(String path, Predicate<HttpResponse<String>> until, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> answer = get(path);
        while (!until.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            answer = get(path);
        }
        return answer;
    }

    /** The value of one series ({@code name{labels}}) in a Prometheus text scrape; 0 when it is not there (a counter never moved). */
    public static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
