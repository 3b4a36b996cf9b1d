package org.wharf.common.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.wharf.common.kafka.KafkaSecurity;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * One Kafka broker in KRaft combined mode (broker and controller), in this JVM, listening on
 * 127.0.0.1 only. Started directly rather than through the test kit, which binds every interface.
 *
 * <p>Open (PLAINTEXT, no authorizer) by default; {@link #startSecured} starts it as a production broker
 * is run: clients authenticate with SASL/SCRAM-SHA-512, Kafka's {@code StandardAuthorizer} denies
 * whatever no ACL allows, and only the {@code admin} user (created at format time) is a super user.
 */
public final class LocalKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDirectory;
    private final boolean deleteOnClose;
    private final KafkaSecurity adminSecurity;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers, Path logDirectory, boolean deleteOnClose,
                       KafkaSecurity adminSecurity) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDirectory = logDirectory;
        this.deleteOnClose = deleteOnClose;
        this.adminSecurity = adminSecurity;
    }

    /** @param port 0 for any free port; @param logDirectory null for a throwaway one */
    public static LocalKafka start(int port, Path logDirectory) {
        return start(port, logDirectory, null);
    }

    /**
     * A broker whose one client listener is SASL_PLAINTEXT with SCRAM-SHA-512, authorised by ACLs. The
     * controller listener (loopback, this node talking to itself) authenticates with PLAIN and a secret
     * of its own. Create users with {@link #createScramUsers} and allow them things with {@link #createAcls}.
     */
    public static LocalKafka startSecured(int port, Path logDirectory) {
        return start(port, logDirectory, LocalS3.randomSecret());
    }

    private static LocalKafka start(int port, Path logDirectory, String adminPassword) {
        try {
            boolean secured = adminPassword != null;
            boolean throwaway = logDirectory == null;
            Path logs = throwaway ? Files.createTempDirectory("wharf-kafka-") : Files.createDirectories(logDirectory);
            int brokerPort = port > 0 ? port : freePort();
            int controllerPort = freePort();
            String bootstrap = "127.0.0.1:" + brokerPort;

            Properties config = new Properties();
            config.putAll(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"),
                    Map.entry("node.id", "1"),
                    Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                    Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                    Map.entry("advertised.listeners", "PLAINTEXT://" + bootstrap),
                    Map.entry("controller.listener.names", "CONTROLLER"),
                    Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                    Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                    Map.entry("log.dirs", logs.toString()),
                    // One broker: internal topics cannot have more replicas than that.
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "5"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "5"),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    // Topics come from Wharf's catalog only; a typo must not create a topic.
                    Map.entry("auto.create.topics.enable", "false"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    Map.entry("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))));
            KafkaSecurity admin = secured ? KafkaSecurity.scram("SASL_PLAINTEXT", ADMIN, adminPassword) : KafkaSecurity.PLAINTEXT;
            if (secured) {
                config.putAll(securedListeners(brokerPort, controllerPort, bootstrap, adminPassword));
            }
            KafkaConfig kafkaConfig = new KafkaConfig(config, false);

            if (!Files.exists(logs.resolve("meta.properties"))) {
                new Formatter()
                        .setNodeId(1)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setDirectories(List.of(logs.toString()))
                        .setMetadataLogDirectory(logs.toString())
                        .setControllerListenerName("CONTROLLER")
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setScramArguments(secured
                                ? List.of(KafkaSecurity.SCRAM_SHA_512 + "=[name=" + ADMIN + ",password=" + adminPassword + "]")
                                : List.of())
                        .run();
            }
            KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            server.startup();
            LocalKafka kafka = new LocalKafka(server, bootstrap, logs, throwaway, admin);
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka did not start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start: " + e.getMessage(), e);
        }
    }

    /** The super user of a secured broker; the broker itself connects to its client listener as it. */
    public static final String ADMIN = "admin";

    private static Map<String, String> securedListeners(int brokerPort, int controllerPort, String bootstrap, String adminPassword) {
        String scram = KafkaSecurity.scram("SASL_PLAINTEXT", ADMIN, adminPassword).clientProperties().get("sasl.jaas.config").toString();
        String controllerSecret = LocalS3.randomSecret();
        return Map.ofEntries(
                Map.entry("listeners", "CLIENTS://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "CLIENTS://" + bootstrap),
                Map.entry("inter.broker.listener.name", "CLIENTS"),
                Map.entry("listener.security.protocol.map", "CLIENTS:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT"),
                Map.entry("sasl.enabled.mechanisms", KafkaSecurity.SCRAM_SHA_512),
                Map.entry("sasl.mechanism.inter.broker.protocol", KafkaSecurity.SCRAM_SHA_512),
                Map.entry("listener.name.clients.scram-sha-512.sasl.jaas.config", scram),
                Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
                Map.entry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN"),
                Map.entry("listener.name.controller.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                                + "\" password=\"" + controllerSecret + "\" user_" + ADMIN + "=\"" + controllerSecret + "\";"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("super.users", "User:" + ADMIN),
                Map.entry("allow.everyone.if.no.acl.found", "false"));
    }

    /** Creates (or replaces) SCRAM-SHA-512 users, by name and password, on a secured broker. */
    public void createScramUsers(Map<String, String> passwords) {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        passwords.forEach((user, password) -> alterations.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        try (Admin admin = Admin.create(adminProperties())) {
            admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the SCRAM users " + passwords.keySet() + ": " + e.getMessage(), e);
        }
    }

    public void createAcls(Collection<AclBinding> bindings) {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the ACLs: " + e.getMessage(), e);
        }
    }

    /** What a client needs to connect as the super user (the open broker: nothing). */
    public KafkaSecurity adminSecurity() {
        return adminSecurity;
    }

    private Map<String, Object> adminProperties() {
        Map<String, Object> properties = new HashMap<>(adminSecurity.clientProperties());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(adminProperties())) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka did not become ready within 60 s");
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            Folders.deleteRecursively(logDirectory);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
