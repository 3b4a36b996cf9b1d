package org.wharf.common.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.common.db.ServiceDatabase;
import org.wharf.common.s3.S3Properties;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
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
    /** The local stack's sample backup target and its database. */
    public static final String SAMPLE_DATABASE = "sample";
    private static final String SAMPLE_ROLE = "sample_backup";
    /** The sample target's restore role: it may create databases (and so own, rename and drop them), nothing more. */
    public static final String SAMPLE_RESTORE_ROLE = "sample_restore";

    public record Ports(int kafka, int postgres, int s3) {
        public static final Ports ANY = new Ports(0, 0, 0);
    }

    private final String bootstrapServers;
    private final LocalPostgres postgres;
    private final S3Properties s3;
    /** What {@link #close} stops, in this order: the broker, the S3 server, PostgreSQL. */
    private final List<AutoCloseable> parts;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    private LocalInfrastructure(String bootstrapServers, LocalPostgres postgres, S3Properties s3, List<AutoCloseable> parts) {
        this.bootstrapServers = bootstrapServers;
        this.postgres = postgres;
        this.s3 = s3;
        this.parts = parts;
    }

    /**
     * PostgreSQL here, the broker and the S3 server elsewhere (processes of their own: {@code wharf local up
     * --processes}); {@link #close} runs {@code stopBroker} and {@code stopS3}, then stops PostgreSQL.
     */
    public static LocalInfrastructure around(LocalPostgres postgres, String bootstrapServers, AutoCloseable stopBroker,
                                             S3Properties s3, AutoCloseable stopS3) {
        LocalInfrastructure infrastructure = new LocalInfrastructure(bootstrapServers, postgres, s3, List.of(stopBroker, stopS3, postgres));
        infrastructure.createBuckets();
        return infrastructure;
    }

    /** Throwaway: the objects go to {@code workDirectory}, the broker's log and the database to temporary folders. */
    public static LocalInfrastructure start(Ports ports, Path workDirectory) {
        return start(ports, null, null, workDirectory.resolve("s3"));
    }

    /**
     * Kept: the broker's log, the database and the objects live in {@code state}, and a later start on it
     * finds them again, however this one ended (a kill -9 included: the broker recovers its log,
     * PostgreSQL its WAL). Each start gives the services' roles new passwords (none is stored).
     */
    public static LocalInfrastructure start(Ports ports, StateDirectory state) {
        return start(ports, state.kafka(), state.postgres(), state.s3());
    }

    private static LocalInfrastructure start(Ports ports, Path kafkaLog, Path postgresData, Path s3Storage) {
        LocalPostgres postgres = LocalPostgres.start(ports.postgres(), postgresData);
        LocalS3 s3 = null;
        try {
            s3 = LocalS3.start(ports.s3(), s3Storage);
            LocalKafka kafka = LocalKafka.start(ports.kafka(), kafkaLog);
            LocalInfrastructure infrastructure = new LocalInfrastructure(kafka.bootstrapServers(), postgres, s3.clientProperties(),
                    List.of(kafka, s3, postgres));
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

    /** The buckets a kept state already has stay as they are. */
    private void createBuckets() {
        try (S3Client client = S3Clients.create(s3)) {
            Set<String> existing = client.listBuckets().buckets().stream().map(Bucket::name).collect(Collectors.toSet());
            for (String bucket : List.of(DEPOSITS_BUCKET, ARCHIVE_BUCKET, BACKUPS_BUCKET)) {
                if (!existing.contains(bucket)) {
                    client.createBucket(b -> b.bucket(bucket));
                }
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
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("spring.datasource.url", postgres.jdbcUrl(schema));
        properties.put("spring.datasource.username", schema);
        properties.put("spring.datasource.password", password);
        properties.put("spring.datasource.hikari.maximum-pool-size", "5");
        properties.put("wharf.s3.endpoint", s3.getEndpoint().toString());
        properties.put("wharf.s3.access-key", s3.getAccessKey());
        properties.put("wharf.s3.secret-key", s3.getSecretKey());
        properties.put("wharf.s3.path-style", "true");
        return properties;
    }

    /**
     * The local stack's sample backup target: a database {@code sample} with a few tables, readable by a
     * role of its own, so that {@code wharf backup run sample} works right after {@code wharf local up}.
     * Returns the backup-service's configuration of it (the password stays in configuration).
     */
    public synchronized Map<String, Object> sampleBackupTarget() {
        String restorePassword = passwords.computeIfAbsent(SAMPLE_RESTORE_ROLE, s -> {
            String generated = LocalS3.randomSecret();
            JdbcTemplate admin = new JdbcTemplate(postgres.superuser());
            Integer role = admin.queryForObject("select count(*) from pg_roles where rolname = ?", Integer.class, SAMPLE_RESTORE_ROLE);
            // Not a superuser: CREATEDB only (whatever an older local stack gave it).
            admin.execute((role == null || role == 0 ? "create" : "alter") + " role " + SAMPLE_RESTORE_ROLE
                    + " login createdb nosuperuser nocreaterole noreplication nobypassrls password '" + generated + "'");
            return generated;
        });
        String password = passwords.computeIfAbsent(SAMPLE_DATABASE, s -> {
            String generated = LocalS3.randomSecret();
            JdbcTemplate admin = new JdbcTemplate(postgres.superuser());
            Integer exists = admin.queryForObject("select count(*) from pg_database where datname = ?", Integer.class, SAMPLE_DATABASE);
            if (exists == null || exists == 0) {
                admin.execute("create database " + SAMPLE_DATABASE);
            }
            Integer role = admin.queryForObject("select count(*) from pg_roles where rolname = ?", Integer.class, SAMPLE_ROLE);
            admin.execute((role == null || role == 0 ? "create" : "alter") + " role " + SAMPLE_ROLE + " login password '" + generated + "'");
            admin.execute("grant pg_read_all_data to " + SAMPLE_ROLE);
            JdbcTemplate sample = new JdbcTemplate(
                    new DriverManagerDataSource(
                            "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + SAMPLE_DATABASE, "postgres", ""));
            sample.execute("create table if not exists deposit_log (id bigint primary key, origin text not null, loaded_at timestamptz)");
            sample.execute("insert into deposit_log select g, 'https://example.org/project-' || g, now() - g * interval '1 hour' "
                    + "from generate_series(1, 1000) g on conflict do nothing");
            return generated;
        });
        String prefix = "wharf.backup.targets." + SAMPLE_DATABASE + ".";
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(prefix + "host", "127.0.0.1");
        properties.put(prefix + "port", Integer.toString(postgres.port()));
        properties.put(prefix + "database", SAMPLE_DATABASE);
        properties.put(prefix + "user", SAMPLE_ROLE);
        properties.put(prefix + "password", password);
        // Restoring creates databases: a role that may do that and nothing more; the backup role only reads.
        properties.put(prefix + "restore-user", SAMPLE_RESTORE_ROLE);
        properties.put(prefix + "restore-password", restorePassword);
        // Backed up every night and verified every week (the default), as schedules in the scheduler.
        properties.put(prefix + "schedule", "@daily");
        return properties;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public S3Properties s3() {
        return s3;
    }

    @Override
    public void close() {
        // Stop in the reverse order of dependence; each step is attempted even if one fails.
        RuntimeException first = null;
        for (AutoCloseable part : parts) {
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
