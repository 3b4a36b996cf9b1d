package org.wharf.deploy.inventory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.wharf.common.config.ConfigurationRefused;
import org.wharf.deploy.request.GitRefName;
import org.wharf.deploy.ssh.HostKeyPins;
import org.wharf.deploy.ssh.SshHost;

/**
 * The inventory ({@code wharf.deploy.applications.<app>.*}): what each application is, how it is built,
 * migrated, restarted and checked, and the hosts of each of its environments. A deploy message names an
 * application, an environment, a ref and services of this inventory; every command run on a host comes
 * from here. Checked once bound, so that a mistake stops the service at start with a one-line reason.
 */
@ConfigurationProperties("wharf.deploy")
public class DeployInventory implements InitializingBean {

    /** Application and environment names: they end up in paths, locks and log lines. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    /** A systemd unit or a supervisor program (group:name), as the restart command line gets it. */
    static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}");
    static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    static final Pattern SERIAL_COUNT = Pattern.compile("[1-9][0-9]{0,5}");
    static final Pattern SERIAL_PERCENTAGE = Pattern.compile("([1-9][0-9]?|100)%");
    static final Set<String> RESTART_MANAGERS = Set.of("systemd", "supervisor", "command");
    static final Set<String> HEALTH_FROM = Set.of("host", "wharf");

    private final Map<String, Application> applications = new LinkedHashMap<>();

    public Map<String, Application> getApplications() {
        return applications;
    }

    /** The application of this name, or null. */
    public Application find(String name) {
        return applications.get(name);
    }

    @Override
    public void afterPropertiesSet() {
        validate();
    }

    /** Refuses the first mistake with an {@link InventoryException} naming where it is and the rule. */
    public void validate() {
        applications.forEach((name, application) -> application.validate(name));
    }

    public static class Application {
        /** A git URL or path, as the host sees it. */
        private String repository;
        /** Holds releases/, shared/ and current. */
        private String root;
        private int keepReleases = 5;
        /** Files and folders linked from shared/ into each release. */
        private List<String> shared = new ArrayList<>();
        private String build;
        private String migrate;
        /** A backup target of the backup-service, backed up before the migration. */
        private String backupBeforeMigrate;
        private final Restart restart = new Restart();
        private final Health health = new Health();
        /** Hosts per batch: a count or a percentage, or a list of those (the last one repeats); empty: all at once. */
        private List<String> serial = new ArrayList<>();
        private int maxFailPercentage = 0;
        private final Map<String, Environment> environments = new LinkedHashMap<>();

        void validate(String name) {
            String where = "application " + printable(name);
            if (!NAME.matcher(name).matches()) {
                throw refused(where, "the name is not 1 to 63 of a-z, 0-9, '_', '.', '-' starting with a letter or digit");
            }
            if (repository == null || repository.isBlank()) {
                throw refused(where, "repository is required (a git URL or path, as the host sees it)");
            }
            if (repository.startsWith("-") || hasControl(repository)) {
                throw refused(where, "repository must not start with '-' nor hold control characters");
            }
            if (root != null) {
                checkAbsolutePath(where, "root", root);
            } else if (environments.values().stream().flatMap(e -> e.getHosts().stream()).anyMatch(h -> h.getRoot() == null)) {
                throw refused(where, "root is required (on the application, or on each of its hosts)");
            }
            if (keepReleases < 2) {
                throw refused(where, "keep-releases is " + keepReleases + "; it must be at least 2 (the current release and the one before it are always kept)");
            }
            for (String entry : shared) {
                checkSharedEntry(where, entry);
            }
            if (build != null && build.isBlank()) {
                throw refused(where, "build is empty (leave it out for no build)");
            }
            if (migrate != null && migrate.isBlank()) {
                throw refused(where, "migrate is empty (leave it out for no migration)");
            }
            if (backupBeforeMigrate != null && !NAME.matcher(backupBeforeMigrate).matches()) {
                throw refused(where, "backup-before-migrate '" + printable(backupBeforeMigrate) + "' is not a backup target name");
            }
            if (backupBeforeMigrate != null && migrate == null) {
                throw refused(where, "backup-before-migrate is set but there is no migrate command");
            }
            restart.validate(where);
            health.validate(where);
            for (String batch : serial) {
                String value = batch == null ? "" : batch.strip();
                if (!SERIAL_COUNT.matcher(value).matches() && !SERIAL_PERCENTAGE.matcher(value).matches()) {
                    throw refused(where, "serial '" + printable(value) + "' is neither a positive number of hosts nor a percentage from 1% to 100%");
                }
            }
            if (maxFailPercentage < 0 || maxFailPercentage > 100) {
                throw refused(where, "max-fail-percentage is " + maxFailPercentage + "; it must be from 0 to 100");
            }
            if (environments.isEmpty()) {
                throw refused(where, "no environments");
            }
            environments.forEach((env, environment) -> environment.validate(where, env));
        }

        public String getRepository() { return repository; }
        public void setRepository(String repository) { this.repository = repository; }
        public String getRoot() { return root; }
        public void setRoot(String root) { this.root = root; }
        public int getKeepReleases() { return keepReleases; }
        public void setKeepReleases(int keepReleases) { this.keepReleases = keepReleases; }
        public List<String> getShared() { return shared; }
        public void setShared(List<String> shared) { this.shared = shared; }
        public String getBuild() { return build; }
        public void setBuild(String build) { this.build = build; }
        public String getMigrate() { return migrate; }
        public void setMigrate(String migrate) { this.migrate = migrate; }
        public String getBackupBeforeMigrate() { return backupBeforeMigrate; }
        public void setBackupBeforeMigrate(String backupBeforeMigrate) { this.backupBeforeMigrate = backupBeforeMigrate; }
        public Restart getRestart() { return restart; }
        public Health getHealth() { return health; }
        public List<String> getSerial() { return serial; }
        public void setSerial(List<String> serial) { this.serial = serial; }
        public int getMaxFailPercentage() { return maxFailPercentage; }
        public void setMaxFailPercentage(int maxFailPercentage) { this.maxFailPercentage = maxFailPercentage; }
        public Map<String, Environment> getEnvironments() { return environments; }
    }

    public static class Restart {
        /** {@code systemd} (sudo systemctl restart U), {@code supervisor} (supervisorctl restart P) or {@code command}. */
        private String manager;
        private List<String> services = new ArrayList<>();
        /** For {@code manager: command}: run with each service's name as its last word. */
        private String command;

        void validate(String where) {
            if (manager == null) {
                if (!services.isEmpty()) {
                    throw refused(where, "restart.manager is required with restart.services (one of systemd, supervisor, command)");
                }
                return;
            }
            if (!RESTART_MANAGERS.contains(manager)) {
                throw refused(where, "restart.manager '" + printable(manager) + "' is not one of systemd, supervisor, command");
            }
            if (manager.equals("command") && (command == null || command.isBlank())) {
                throw refused(where, "restart.manager command needs restart.command (the service's name is its last word)");
            }
            if (!manager.equals("command") && command != null) {
                throw refused(where, "restart.command is only for restart.manager command");
            }
            Set<String> seen = new HashSet<>();
            for (String service : services) {
                if (service == null || !SERVICE.matcher(service).matches()) {
                    throw refused(where, "restart service '" + printable(String.valueOf(service))
                            + "' is not 1 to 128 of A-Z, a-z, 0-9, '_', '.', '@', ':', '-' starting with a letter or digit");
                }
                if (!seen.add(service)) {
                    throw refused(where, "restart service '" + service + "' is listed twice");
                }
            }
        }

        public String getManager() { return manager; }
        public void setManager(String manager) { this.manager = manager; }
        public List<String> getServices() { return services; }
        public void setServices(List<String> services) { this.services = services; }
        public String getCommand() { return command; }
        public void setCommand(String command) { this.command = command; }
    }

    public static class Health {
        /** Unset: no health check (and so no health-gated rollback). */
        private String url;
        private int expectStatus = 200;
        private int retries = 10;
        private Duration interval = Duration.ofSeconds(2);
        /** {@code host}: fetched on the host, with curl over the SSH connection; {@code wharf}: by the deploy-service. */
        private String from = "host";

        void validate(String where) {
            if (url == null) {
                return;
            }
            // A URL may carry a password (user:password@): a reason shows it without.
            String shown = printable(url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1…@"));
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw refused(where, "health.url '" + shown + "' is not a URL");
            }
            if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
                throw refused(where, "health.url '" + shown + "' must be an http:// or https:// URL with a host");
            }
            if (expectStatus < 100 || expectStatus > 599) {
                throw refused(where, "health.expect-status " + expectStatus + " is not an HTTP status");
            }
            if (retries < 1) {
                throw refused(where, "health.retries is " + retries + "; it must be at least 1");
            }
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw refused(where, "health.interval must be positive");
            }
            if (!HEALTH_FROM.contains(from)) {
                throw refused(where, "health.from '" + printable(from) + "' is not host (curl on the host) or wharf (from the deploy-service)");
            }
        }

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public int getExpectStatus() { return expectStatus; }
        public void setExpectStatus(int expectStatus) { this.expectStatus = expectStatus; }
        public int getRetries() { return retries; }
        public void setRetries(int retries) { this.retries = retries; }
        public Duration getInterval() { return interval; }
        public void setInterval(Duration interval) { this.interval = interval; }
        public String getFrom() { return from; }
        public void setFrom(String from) { this.from = from; }
    }

    public static class Environment {
        /** The ref deployed when a Deploy carries none. */
        private String ref;
        private List<Host> hosts = new ArrayList<>();

        void validate(String applicationWhere, String name) {
            String where = applicationWhere + ", environment " + printable(name);
            if (!NAME.matcher(name).matches()) {
                throw refused(where, "the name is not 1 to 63 of a-z, 0-9, '_', '.', '-' starting with a letter or digit");
            }
            if (ref != null) {
                GitRefName.reason(ref).ifPresent(reason ->
                        { throw refused(where, "ref '" + printable(ref) + "' is not a valid git ref name: " + reason); });
            }
            if (hosts.isEmpty()) {
                throw refused(where, "no hosts");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < hosts.size(); i++) {
                Host host = hosts.get(i);
                host.validate(where, i);
                if (!seen.add(host.endpoint())) {
                    throw refused(where + ", host " + host.endpoint(), "listed twice");
                }
            }
        }

        public String getRef() { return ref; }
        public void setRef(String ref) { this.ref = ref; }
        public List<Host> getHosts() { return hosts; }
        public void setHosts(List<Host> hosts) { this.hosts = hosts; }
    }

    public static class Host {
        private String address;
        private int port = 22;
        private String user;
        /** One pin or several: {@code SHA256:…} or {@code MD5:…}. */
        private List<String> hostKey = new ArrayList<>();
        private Path privateKeyFile;
        /** This host's own folder for the application, in place of the application's {@code root}. */
        private String root;

        void validate(String environmentWhere, int index) {
            if (address == null || address.isBlank() || hasControl(address) || address.contains(" ")) {
                throw refused(environmentWhere + ", hosts[" + index + "]", "address is required (a host name or an IP address)");
            }
            String where = environmentWhere + ", host " + endpoint();
            if (port < 1 || port > 65535) {
                throw refused(where, "port " + port + " is not a TCP port");
            }
            if (user == null || !USER.matcher(user).matches()) {
                throw refused(where, "user is required (a POSIX user name)");
            }
            if (root != null) {
                checkAbsolutePath(where, "root", root);
            }
            if (privateKeyFile == null) {
                // Only that it is missing: the file's location appears in no reason.
                throw refused(where, "private-key-file is required (key authentication only)");
            }
            try {
                HostKeyPins.parse(endpoint(), hostKey);
            } catch (IllegalArgumentException e) {
                // HostKeyPins names the host itself ("host 127.0.0.1:2222: …").
                throw new InventoryException("inventory: " + environmentWhere + ", " + e.getMessage());
            }
        }

        /** {@code address:port}: the host's identity within its environment. */
        public String endpoint() {
            return (address != null && address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
        }

        /** Where and as whom to connect. */
        public SshHost sshHost() {
            return new SshHost(address, port, user, HostKeyPins.parse(endpoint(), hostKey), privateKeyFile);
        }

        public String getAddress() { return address; }
        public void setAddress(String address) { this.address = address; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public List<String> getHostKey() { return hostKey; }
        public void setHostKey(List<String> hostKey) { this.hostKey = hostKey; }
        public Path getPrivateKeyFile() { return privateKeyFile; }
        public String getRoot() { return root; }
        public void setRoot(String root) { this.root = root; }
        public void setPrivateKeyFile(Path privateKeyFile) { this.privateKeyFile = privateKeyFile; }
    }

    /** A refusal at start: where in the inventory, then the rule. */
    public static final class InventoryException extends ConfigurationRefused {
        InventoryException(String message) {
            super(message, "Correct wharf.deploy.applications (see the README, \"Inventory\").");
        }
    }

    private static InventoryException refused(String where, String rule) {
        return new InventoryException("inventory: " + where + ": " + rule);
    }

    private static void checkAbsolutePath(String where, String key, String path) {
        if (path == null || path.isBlank()) {
            throw refused(where, key + " is required (an absolute path on the hosts)");
        }
        if (!path.startsWith("/") || path.equals("/") || hasControl(path) || List.of(path.split("/")).contains("..")) {
            throw refused(where, key + " '" + printable(path) + "' must be an absolute path below / without '..'");
        }
    }

    private static void checkSharedEntry(String where, String entry) {
        String value = entry == null ? "" : entry;
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (trimmed.isEmpty() || trimmed.startsWith("/") || hasControl(trimmed)
                || List.of(trimmed.split("/")).stream().anyMatch(part -> part.isEmpty() || part.equals("..") || part.equals("."))) {
            throw refused(where, "shared entry '" + printable(value) + "' must be a relative path within the release, without '.' or '..'");
        }
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** A configured value inside a one-line reason. */
    static String printable(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}
