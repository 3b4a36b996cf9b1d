package org.wharf.cli.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.wharf.common.kafka.KafkaSecurity;
import org.wharf.common.s3.S3Properties;

/**
 * Where the platform is, for the CLI: read from {@code $WHARF_HOME/connection.properties} (which
 * {@code wharf local up} writes, readable by its owner only), with environment variables taking
 * precedence, so that no flag is needed against the local stack.
 */
public record Connection(String bootstrapServers, S3Properties s3, String depositsBucket, KafkaSecurity kafkaSecurity) {

    public static final String FILE_NAME = "connection.properties";

    /** An open broker (the local stack's). */
    public Connection(String bootstrapServers, S3Properties s3, String depositsBucket) {
        this(bootstrapServers, s3, depositsBucket, KafkaSecurity.PLAINTEXT);
    }

    public static Path home(Map<String, String> environment) {
        String home = environment.get("WHARF_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".wharf");
    }

    public static Connection load(Path home, Map<String, String> environment) {
        Properties file = new Properties();
        Path path = home.resolve(FILE_NAME);
        if (Files.isReadable(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                file.load(in);
            } catch (IOException e) {
                throw new UsageException("cannot read " + path + ": " + e.getMessage());
            }
        }
        String bootstrap = pick(environment, "WHARF_BOOTSTRAP_SERVERS", file, "bootstrap.servers");
        if (bootstrap == null) {
            throw new UsageException("no Kafka broker known: start the local stack with 'wharf local up', "
                    + "or set WHARF_BOOTSTRAP_SERVERS (and WHARF_S3_* for deposits)");
        }
        S3Properties s3 = new S3Properties();
        String endpoint = pick(environment, "WHARF_S3_ENDPOINT", file, "s3.endpoint");
        s3.setEndpoint(endpoint == null ? null : URI.create(endpoint));
        String region = pick(environment, "WHARF_S3_REGION", file, "s3.region");
        if (region != null) {
            s3.setRegion(region);
        }
        s3.setAccessKey(pick(environment, "WHARF_S3_ACCESS_KEY", file, "s3.access-key"));
        s3.setSecretKey(pick(environment, "WHARF_S3_SECRET_KEY", file, "s3.secret-key"));
        String bucket = pick(environment, "WHARF_DEPOSITS_BUCKET", file, "deposits.bucket");
        return new Connection(bootstrap, s3, bucket == null ? "wharf-deposits" : bucket, kafkaSecurity(environment, file));
    }

    /**
     * The broker's security settings: {@code kafka.security.protocol} (PLAINTEXT, SASL_PLAINTEXT,
     * SASL_SSL, SSL), {@code kafka.sasl.mechanism} (SCRAM-SHA-512), {@code kafka.sasl.username}, the
     * password from {@code WHARF_KAFKA_PASSWORD} or the file {@code kafka.sasl.password-file} names, and
     * {@code kafka.ssl.truststore.location}/{@code .password}; each also as a WHARF_KAFKA_* variable.
     */
    static KafkaSecurity kafkaSecurity(Map<String, String> environment, Properties file) {
        String protocol = pick(environment, "WHARF_KAFKA_SECURITY_PROTOCOL", file, "kafka.security.protocol");
        protocol = protocol == null ? "PLAINTEXT" : protocol.toUpperCase(Locale.ROOT);
        if (!List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(protocol)) {
            throw new UsageException("Kafka security protocol " + protocol + " is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
        }
        String mechanism = pick(environment, "WHARF_KAFKA_SASL_MECHANISM", file, "kafka.sasl.mechanism");
        String username = pick(environment, "WHARF_KAFKA_USERNAME", file, "kafka.sasl.username");
        String password = environment.get("WHARF_KAFKA_PASSWORD");
        if (password == null || password.isEmpty()) {
            String passwordFile = pick(environment, "WHARF_KAFKA_PASSWORD_FILE", file, "kafka.sasl.password-file");
            password = passwordFile == null ? null : secretIn(Path.of(passwordFile));
        }
        if (protocol.startsWith("SASL_") && (username == null || password == null)) {
            throw new UsageException("Kafka security protocol " + protocol + " needs a username (WHARF_KAFKA_USERNAME or "
                    + "kafka.sasl.username) and a password (WHARF_KAFKA_PASSWORD, or a file named by WHARF_KAFKA_PASSWORD_FILE "
                    + "or kafka.sasl.password-file)");
        }
        return new KafkaSecurity(protocol, mechanism == null ? KafkaSecurity.SCRAM_SHA_512 : mechanism, username, password,
                pick(environment, "WHARF_KAFKA_TRUSTSTORE", file, "kafka.ssl.truststore.location"),
                pick(environment, "WHARF_KAFKA_TRUSTSTORE_PASSWORD", file, "kafka.ssl.truststore.password"));
    }

    private static String secretIn(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UsageException("cannot read the Kafka password file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Writes the file that lets the other subcommands find the local stack; only its owner can read it. */
    public void write(Path home) throws IOException {
        Files.createDirectories(home);
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", bootstrapServers);
        properties.setProperty("s3.endpoint", s3.getEndpoint().toString());
        properties.setProperty("s3.region", s3.getRegion());
        properties.setProperty("s3.access-key", s3.getAccessKey());
        properties.setProperty("s3.secret-key", s3.getSecretKey());
        properties.setProperty("deposits.bucket", depositsBucket);
        // The file names a SASL password's file, never the password itself.
        if (kafkaSecurity.protocol() != null && !"PLAINTEXT".equals(kafkaSecurity.protocol())) {
            properties.setProperty("kafka.security.protocol", kafkaSecurity.protocol());
        }
        Path file = home.resolve(FILE_NAME);
        Path temporary = home.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, "written by 'wharf local up'; holds a local secret, keep it private");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pick(Map<String, String> environment, String variable, Properties file, String key) {
        String value = environment.get(variable);
        if (value != null && !value.isBlank()) {
            return value;
        }
        value = file.getProperty(key);
        return value == null || value.isBlank() ? null : value;
    }
}
