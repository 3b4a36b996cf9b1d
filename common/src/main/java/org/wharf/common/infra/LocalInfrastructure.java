package org.wharf.common.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.wharf.common.db.ServiceDatabase;
import org.wharf.common.s3.S3Properties;

import software.amazon.awssdk.services.s3.S3Client;
import org.wharf.common.s3.S3Clients;

/**
 * The broker, PostgreSQL and the S3 server, started together on 127.0.0.1, plus what a service needs
 * to use them: its own database role and schema, its bucket(s), its Spring properties. The tests
 * (one instance per test JVM) and {@code wharf local up} both use this.
 */
public final class LocalInfrastructure implements AutoCloseable {

    /** The schema (and database role) of each service. */
    public static final List<String> SERVICE_SCHEMAS = List.of("checker", "loader", "backup", "deploy", "scheduler");
    public static final String DEPOSITS_BUCKET = "wharf-deposits";
    public static final String ARCHIVE_BUCKET = "wharf-archive";
    public static final String BACKUPS_BUCKET = "wharf-backups";

    public record Ports(int kafka, int postgres, int s3) {
        public static final Ports ANY = new Ports(0, 0, 0);
    }

    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final LocalS3 s3;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    private LocalInfrastructure(LocalKafka kafka, LocalPostgres postgres, LocalS3 s3) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.s3 = s3;
    }

    public static LocalInfrastructure start(Ports ports, Path workDirectory) {
        LocalPostgres postgres = LocalPostgres.start(ports.postgres(), null);
        LocalS3 s3 = null;
        try {
            s3 = LocalS3.start(ports.s3(), workDirectory.resolve("s3"));
            LocalKafka kafka = LocalKafka.start(ports.kafka(), null);
            LocalInfrastructure infrastructure = new LocalInfrastructure(kafka, postgres, s3);
            infrastructure.createBuckets();
            return infrastructure;
        } catch (RuntimeException e) {
            if (s3 != null) {
                s3.close();
            }
            postgres.close();
            throw e;
        }
    }

    private void createBuckets() {
        try (S3Client client = S3Clients.create(s3.clientProperties())) {
            for (String bucket : List.of(DEPOSITS_BUCKET, ARCHIVE_BUCKET, BACKUPS_BUCKET)) {
                client.createBucket(b -> b.bucket(bucket));
            }
        }
    }

    /** Creates the service's role and schema once, and returns the Spring properties that point it here. */
    public Map<String, Object> serviceProperties(String schema) {
        String password = passwords.computeIfAbsent(schema, s -> {
            String generated = LocalS3.randomSecret();
            ServiceDatabase.provision(postgres.superuser(), s, generated);
            return generated;
        });
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("spring.datasource.url", postgres.jdbcUrl(schema));
        properties.put("spring.datasource.username", schema);
        properties.put("spring.datasource.password", password);
        properties.put("spring.datasource.hikari.maximum-pool-size", "5");
        S3Properties s3Client = s3.clientProperties();
        properties.put("wharf.s3.endpoint", s3Client.getEndpoint().toString());
        properties.put("wharf.s3.access-key", s3Client.getAccessKey());
        properties.put("wharf.s3.secret-key", s3Client.getSecretKey());
        properties.put("wharf.s3.path-style", "true");
        return properties;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public S3Properties s3() {
        return s3.clientProperties();
    }

    @Override
    public void close() {
        // Stop in the reverse order of dependence; each step is attempted even if one fails.
        RuntimeException first = null;
        for (AutoCloseable part : new AutoCloseable[] {kafka, s3, postgres}) {
            try {
                part.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("stopping the local infrastructure: " + e.getMessage(), e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
