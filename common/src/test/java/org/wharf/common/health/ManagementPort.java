package org.wharf.common.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import org.springframework.context.ConfigurableApplicationContext;

/** A started service's management port, as a prober or a Prometheus scraper sees it. */
public record ManagementPort(int port) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static ManagementPort of(ConfigurableApplicationContext service) {
        return new ManagementPort(service.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
}
