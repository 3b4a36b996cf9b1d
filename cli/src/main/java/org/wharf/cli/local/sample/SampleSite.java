package org.wharf.cli.local.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The sample application as it runs: an HTTP server on 127.0.0.1 serving the files of the live release,
 * {@code <root>/current/public/}, read anew at each request, so that the switch of {@code current} by a
 * deploy (and a rollback) shows at once. 200 with the file, 404 for anything else, 503 while no release
 * is live ({@code current} missing).
 */
public final class SampleSite implements AutoCloseable {

    private final HttpServer server;

    private SampleSite(HttpServer server) {
        this.server = server;
    }

    /** @param port 0 for any free port */
    public static SampleSite start(Path root, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            Path current = root.toAbsolutePath().resolve("current");
            server.createContext("/", exchange -> {
                try (exchange) {
                    answer(exchange, current);
                }
            });
            server.start();
            return new SampleSite(server);
        } catch (IOException e) {
            throw new UncheckedIOException("the sample application did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/} */
    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    private static void answer(HttpExchange exchange, Path current) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(exchange, 405, "text/plain", "GET or HEAD only\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!Files.exists(current)) {
            send(exchange, 503, "text/plain", "no release is live yet (no current)\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String name = path == null || path.equals("/") ? "index.html" : path.substring(1);
        Path file = served(current.resolve("public"), name);
        if (file == null) {
            send(exchange, 404, "text/plain", ("not found: " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, name.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8", Files.readAllBytes(file));
    }

    // The regular file `name` within `folder`, following links only as long as they stay inside it; or null.
    private static Path served(Path folder, String name) {
        try {
            Path base = folder.toRealPath();
            Path file = base.resolve(name).normalize();
            if (!file.startsWith(base) || !Files.isRegularFile(file)) {
                return null;
            }
            return file.toRealPath().startsWith(base) ? file : null;
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
