package org.wharf.common.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A PostgreSQL 15 server (a child process), listening on 127.0.0.1 only, with a database {@code wharf}. */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "wharf";

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** @param port 0 for any free port; @param dataDirectory null for a throwaway one */
    public static LocalPostgres start(int port, Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres = builder.start();
            JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            Integer exists = jdbc.queryForObject("select count(*) from pg_database where datname = ?", Integer.class, DATABASE);
            if (exists == null || exists == 0) {
                jdbc.execute("create database " + DATABASE);
            }
            return new LocalPostgres(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The superuser's connection to the {@code wharf} database (provisioning, tests' checks). */
    public DataSource superuser() {
        return postgres.getDatabase("postgres", DATABASE);
    }

    public String jdbcUrl(String schema) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE + "?currentSchema=" + schema;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
