package org.wharf.deploy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

/**
 * What a deploy test deploys, for real: a git repository of a small application (its build, migration and
 * restart scripts), the application's health endpoint (200 unless a test says otherwise), and the inventory
 * properties that put an application on some {@link SshTestHost}s, each in a root folder of its own.
 *
 * <p>The scripts leave traces in the root: {@code migrations.log} (one line per migration, the release),
 * {@code restarts.log} ({@code <service> <release>}). A file {@code fail-migrate} in a root makes the
 * migration fail there (printing a password-shaped line first); {@code slow-migrate} holding seconds makes
 * it take that long.
 */
public final class DeployRig implements AutoCloseable {

    public static final String ENVIRONMENT = "staging";

    private final Path work;
    private final Path repository;
    private final HttpServer health;
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

    private DeployRig(Path work, Path repository, HttpServer health) {
        this.work = work;
        this.repository = repository;
        this.health = health;
    }

    public static DeployRig start() {
        try {
            Path work = Files.createTempDirectory("wharf-deploy-rig-");
            Path repository = Files.createDirectory(work.resolve("app"));
            git(repository, "init", "--quiet", "--initial-branch=main");
            script(repository, "bin/build", """
                    echo "built $WHARF_RELEASE" > BUILT
                    echo "build ok"
                    """);
            script(repository, "bin/migrate", """
                    echo "$WHARF_RELEASE" >> "$WHARF_ROOT/migrations.log"
                    if [ -e "$WHARF_ROOT/slow-migrate" ]; then sleep "$(cat "$WHARF_ROOT/slow-migrate")"; fi
                    if [ -e "$WHARF_ROOT/fail-migrate" ]; then
                      echo "connecting with DATABASE_PASSWORD=hunter2-secret" >&2
                      echo "migration 0042 failed: relation \\"dataset\\" already exists" >&2
                      exit 3
                    fi
                    echo "migrated"
                    """);
            script(repository, "bin/restart", """
                    echo "$1 $(basename "$(pwd -P)")" >> ../../restarts.log
                    """);
            Files.writeString(repository.resolve("VERSION"), "1\n");
            git(repository, "add", "-A");
            commit(repository, "v1");
            HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DeployRig rig = new DeployRig(work, repository, health);
            health.createContext("/health/", exchange -> {
                String app = exchange.getRequestURI().getPath().substring("/health/".length());
                int status = rig.statuses.getOrDefault(app, 200);
                byte[] body = ("status " + status + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            health.start();
            return rig;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new commit on main (a new VERSION); answers its id. */
    public synchronized String newCommit(String version) {
        try {
            Files.writeString(repository.resolve("VERSION"), version + "\n");
            git(repository, "add", "-A");
            commit(repository, "v" + version);
            return head();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String head() {
        return git(repository, "rev-parse", "HEAD").strip();
    }

    public void health(String application, int status) {
        statuses.put(application, status);
    }

    /** An application's folder on a host. */
    public static Path root(SshTestHost host, String application) {
        return host.home().resolve(application);
    }

    /**
     * The inventory of {@code application}, staging on {@code hosts} (each with its root and a
     * {@code shared/.env}), every key overridable by {@code overrides} (relative to the application).
     */
    public Map<String, Object> application(String application, List<SshTestHost> hosts, Map<String, Object> overrides) {
        String prefix = "wharf.deploy.applications." + application + ".";
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("repository", repository.toString());
        app.put("keep-releases", 3);
        app.put("shared[0]", ".env");
        app.put("build", "sh bin/build");
        app.put("migrate", "sh bin/migrate");
        app.put("restart.manager", "command");
        app.put("restart.command", "sh bin/restart");
        app.put("restart.services[0]", "web");
        app.put("restart.services[1]", "worker");
        app.put("health.url", "http://127.0.0.1:" + health.getAddress().getPort() + "/health/" + application);
        app.put("health.retries", 2);
        app.put("health.interval", "100ms");
        app.put("environments." + ENVIRONMENT + ".ref", "main");
        for (int i = 0; i < hosts.size(); i++) {
            SshTestHost host = hosts.get(i);
            String at = "environments." + ENVIRONMENT + ".hosts[" + i + "].";
            app.put(at + "address", host.address());
            app.put(at + "port", host.port());
            app.put(at + "user", SshTestHost.USER);
            app.put(at + "host-key", host.sha256Fingerprint());
            app.put(at + "private-key-file", host.privateKeyFile().toString());
            app.put(at + "root", root(host, application).toString());
            try {
                Files.createDirectories(root(host, application).resolve("shared"));
                Files.writeString(root(host, application).resolve("shared/.env"), "SECRET_KEY=not-in-any-event\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        app.putAll(overrides);
        Map<String, Object> properties = new LinkedHashMap<>();
        app.forEach((key, value) -> properties.put(prefix + key, value));
        return properties;
    }

    @Override
    public void close() {
        health.stop(0);
    }

    public Path work() {
        return work;
    }

    private static void script(Path repository, String name, String body) throws IOException {
        Path file = repository.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void commit(Path repository, String message) {
        git(repository, "-c", "user.name=Wharf Test", "-c", "user.email=test@wharf.invalid", "commit", "--quiet", "-m", message);
    }

    public static String git(Path folder, String... arguments) {
        try {
            List<String> command = new ArrayList<>(List.of("git", "-C", folder.toString()));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", arguments) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
