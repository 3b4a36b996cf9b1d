package org.wharf.deploy.inventory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.wharf.deploy.inventory.DeployInventory.Application;
import org.wharf.deploy.inventory.DeployInventory.Environment;
import org.wharf.deploy.inventory.DeployInventory.Host;

/**
 * The inventory as rows: one per application, environment and host, each with a hash of every setting that
 * applies to it (the application's, the environment's, the host's). Hashes, not values, so that what is
 * stored and compared holds no command text.
 */
public final class InventoryEntries {

    /** One row's identity. */
    public record Key(String application, String environment, String host) {
        @Override
        public String toString() {
            return application + "/" + environment + " " + host;
        }
    }

    /** One row: the settings' hashes by name, and a fingerprint over them. */
    public record Entry(Map<String, String> settings, String fingerprint) {
        public Entry {
            settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        }

        static Entry of(Map<String, String> settings) {
            StringBuilder all = new StringBuilder();
            new TreeMap<>(settings).forEach((name, hash) -> all.append(name).append('=').append(hash).append('\n'));
            return new Entry(settings, sha256(all.toString()));
        }

        /** The names of the settings that differ from {@code before}'s, in name order. */
        public List<String> changedSince(Entry before) {
            SortedSet<String> names = new TreeSet<>(settings.keySet());
            names.addAll(before.settings.keySet());
            return names.stream().filter(name -> !Objects.equals(settings.get(name), before.settings.get(name))).toList();
        }
    }

    private InventoryEntries() {
    }

    public static Map<Key, Entry> of(DeployInventory inventory) {
        Map<Key, Entry> entries = new LinkedHashMap<>();
        inventory.getApplications().forEach((name, application) -> application.getEnvironments().forEach((env, environment) -> {
            for (Host host : environment.getHosts()) {
                entries.put(new Key(name, env, host.endpoint()), Entry.of(settings(application, environment, host)));
            }
        }));
        return entries;
    }

    private static Map<String, String> settings(Application application, Environment environment, Host host) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("repository", application.getRepository());
        values.put("root", application.getRoot());
        values.put("keep-releases", application.getKeepReleases());
        values.put("shared", application.getShared());
        values.put("build", application.getBuild());
        values.put("migrate", application.getMigrate());
        values.put("backup-before-migrate", application.getBackupBeforeMigrate());
        values.put("restart.manager", application.getRestart().getManager());
        values.put("restart.services", application.getRestart().getServices());
        values.put("restart.command", application.getRestart().getCommand());
        values.put("health.url", application.getHealth().getUrl());
        values.put("health.expect-status", application.getHealth().getExpectStatus());
        values.put("health.retries", application.getHealth().getRetries());
        values.put("health.interval", application.getHealth().getInterval());
        values.put("health.from", application.getHealth().getFrom());
        values.put("serial", application.getSerial());
        values.put("max-fail-percentage", application.getMaxFailPercentage());
        values.put("ref", environment.getRef());
        values.put("user", host.getUser());
        values.put("host-key", host.getHostKey());
        values.put("private-key-file", host.getPrivateKeyFile());
        Map<String, String> hashes = new LinkedHashMap<>();
        values.forEach((name, value) -> hashes.put(name, sha256(String.valueOf(value))));
        return hashes;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
