package org.wharf.cli.local.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.wharf.common.infra.Folders;
import org.wharf.common.infra.LocalSshHost;
import org.wharf.deploy.request.ShellQuoting;

/**
 * The local stack's sample deploy, so that {@code wharf deploy run sample staging --wait} works right after
 * {@code wharf local up}: an SSH host in this process (this machine is the deploy host), the sample
 * application's git repository, its root ({@code srv/sample}: releases/, shared/.env, current) and the
 * sample application itself, serving the live release; and the deploy-service's inventory of it
 * (application {@value #APPLICATION}, environment {@value #ENVIRONMENT}).
 * <p>
 * All of it lives in the given work folder and is reused by a later start there: the repository, the
 * releases, and the SSH keys, so that the pinned host key stays the same.
 * </p>
 */
public final class SampleDeploy implements AutoCloseable {

    public static final String APPLICATION = "sample";
    public static final String ENVIRONMENT = "staging";
    public static final String SERVICE = "web";
    // The deploy inventory's rule for a user name; an OS user name that does not fit it is not used.
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    private final LocalSshHost ssh;
    private final SampleSite site;
    private final Path repository;
    private final Path root;

    private SampleDeploy(LocalSshHost ssh, SampleSite site, Path repository, Path root) {
        this.ssh = ssh;
        this.site = site;
        this.repository = repository;
        this.root = root;
    }

    /**
     * @param work    holds {@code ssh/} (the keys), {@code sample.git} and {@code srv/sample}; the SSH host's home
     * @param sshPort 0 for any free port
     */
    public static SampleDeploy start(Path work, int sshPort) {
        Path folder = work.toAbsolutePath().normalize();
        Path repository = SampleRepository.prepare(folder.resolve("sample.git"));
        Path root = folder.resolve("srv").resolve(APPLICATION);
        try {
            Path env = root.resolve("shared").resolve(".env");
            Files.createDirectories(env.getParent());
            if (!Files.exists(env)) {
                Files.writeString(env, "GREETING='hello from the shared .env of the sample application'\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + root + ": " + e.getMessage(), e);
        }
        SampleSite site = SampleSite.start(root, 0);
        try {
            LocalSshHost ssh = LocalSshHost.start(sshPort, user(), folder.resolve("ssh"), folder);
            return new SampleDeploy(ssh, site, repository, root);
        } catch (RuntimeException e) {
            site.close();
            throw e;
        }
    }

    /**
     * Forgets the releases under {@code work} (srv/), as a fresh start forgets the deploy-service's records of
     * them; the repository and the SSH keys stay.
     */
    public static void forgetReleases(Path work) {
        Path srv = work.toAbsolutePath().normalize().resolve("srv");
        Folders.deleteRecursively(srv);
        if (Files.exists(srv)) {
            throw new IllegalStateException("could not empty " + srv);
        }
    }

    /** The deploy-service's configuration of the sample: {@code wharf.deploy.applications.sample.*}. */
    public Map<String, Object> inventoryProperties() {
        String app = "wharf.deploy.applications." + APPLICATION + ".";
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(app + "repository", repository.toString());
        properties.put(app + "root", root.toString());
        properties.put(app + "keep-releases", "3");
        properties.put(app + "shared[0]", ".env");
        properties.put(app + "build", "bin/build");
        properties.put(app + "migrate", "bin/migrate");
        properties.put(app + "restart.manager", "command");
        // The restart command gets the service's name as its last word: the live release's bin/restart web.
        properties.put(app + "restart.command", ShellQuoting.quote(root + "/current/bin/restart"));
        properties.put(app + "restart.services[0]", SERVICE);
        properties.put(app + "health.url", healthUrl());
        properties.put(app + "health.expect-status", "200");
        properties.put(app + "health.retries", "5");
        properties.put(app + "health.interval", "1s");
        properties.put(app + "serial[0]", "1");
        String env = app + "environments." + ENVIRONMENT + ".";
        properties.put(env + "ref", SampleRepository.BRANCH);
        String host = env + "hosts[0].";
        properties.put(host + "address", ssh.address());
        properties.put(host + "port", Integer.toString(ssh.port()));
        properties.put(host + "user", ssh.user());
        properties.put(host + "host-key[0]", ssh.sha256Fingerprint());
        properties.put(host + "private-key-file", ssh.privateKeyFile().toString());
        return properties;
    }

    public LocalSshHost ssh() {
        return ssh;
    }

    public SampleSite site() {
        return site;
    }

    public Path repository() {
        return repository;
    }

    /** The application's folder on the (local) host: releases/, shared/, current. */
    public Path root() {
        return root;
    }

    /** Fetched by the deploy's health check, on the host (curl over SSH). */
    public String healthUrl() {
        return site.url() + "health";
    }

    @Override
    public void close() {
        try {
            ssh.close();
        } finally {
            site.close();
        }
    }

    // The current OS user's name, as the deploy host's user, when the inventory takes it.
    private static String user() {
        String name = System.getProperty("user.name", "");
        return USER.matcher(name).matches() ? name : "wharf";
    }
}
