package org.wharf.cli.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import org.wharf.common.s3.S3Properties;

/**
 * Where the platform is, for the CLI: read from {@code $WHARF_HOME/connection.properties} (which
 * {@code wharf local up} writes, readable by its owner only), with environment variables taking
 * precedence, so that no flag is needed against the local stack.
 */
public record Connection(String bootstrapServers, S3Properties s3, String depositsBucket) {

    public static final String FILE_NAME = "connection.properties";

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
        return new Connection(bootstrap, s3, bucket == null ? "wharf-deposits" : bucket);
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
        Path file = home.resolve(FILE_NAME);
        Path temporary = home.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, "written by 'wharf local up'; holds a local secret, keep it private");
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
