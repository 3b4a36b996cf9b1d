package org.wharf.common.db;

import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Migrates a service's schema: common's migrations (outbox, inbox; {@code db/wharf-common}) with
 * their own history table, then the service's own ({@code db/<service-name>}) with Flyway's.
 *
 * <p>Two histories because the two sequences are independent: a migration added to common later must
 * apply to every service whatever its own versions have reached. In one history it would sort below
 * versions already applied, which only Flyway's {@code outOfOrder} mode applies (and warns, rightly,
 * that the order is then not reproducible). Here each history is in order.
 *
 * <p>A schema migrated before common had a history of its own holds common's rows (versions below 1)
 * in the service's history: common's history then starts as a baseline at the highest of them, and
 * those rows are removed from the service's, which from then on lists only the service's migrations.
 */
public final class SchemaMigrations implements FlywayMigrationStrategy {

    public static final String COMMON_LOCATION = "classpath:db/wharf-common";
    public static final String COMMON_HISTORY = "wharf_common_schema_history";

    /** Common's versions are below 1 (V0_1, V0_2, ...); a service's start at V1. */
    private static final String COMMON_VERSIONS = "version like '0.%'";

    private final String[] commonLocations;

    public SchemaMigrations() {
        this(COMMON_LOCATION);
    }

    /** With common's migrations read from more places: a test's later common migration. */
    public SchemaMigrations(String... commonLocations) {
        this.commonLocations = commonLocations.clone();
    }

    @Override
    public void migrate(Flyway service) {
        DataSource dataSource = service.getConfiguration().getDataSource();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String serviceHistory = service.getConfiguration().getTable();
        FluentConfiguration common = Flyway.configure()
                .configuration(service.getConfiguration())
                .locations(commonLocations)
                .table(COMMON_HISTORY)
                .outOfOrder(false);
        if (!exists(jdbc, COMMON_HISTORY)) {
            String applied = highestCommonVersion(jdbc, serviceHistory);
            if (applied != null) {
                // No quote in the description: Flyway writes it into the history table's creation script.
                common.baselineOnMigrate(true).baselineVersion(applied)
                        .baselineDescription("common migrations up to " + applied + " (applied with the service history)");
            } else {
                common.baselineOnMigrate(false);
            }
        }
        common.load().migrate();
        if (exists(jdbc, serviceHistory)) {
            // After common's history holds them (a crash before this line repeats only this line).
            jdbc.update("delete from " + serviceHistory + " where " + COMMON_VERSIONS);
            service.migrate();
        } else {
            // A new schema, holding only common's tables so far: the service's history starts before its V1.
            Flyway.configure().configuration(service.getConfiguration()).baselineOnMigrate(true).baselineVersion("0")
                    .baselineDescription("the service schema, before its first migration").load().migrate();
        }
    }

    private static String highestCommonVersion(JdbcTemplate jdbc, String serviceHistory) {
        if (!exists(jdbc, serviceHistory)) {
            return null;
        }
        List<String> versions = jdbc.queryForList("select version from " + serviceHistory + " where success and "
                + COMMON_VERSIONS, String.class);
        return versions.stream().map(MigrationVersion::fromVersion)
                .max(Comparable::compareTo).map(MigrationVersion::getVersion).orElse(null);
    }

    /** A table of that name in the connection's schema (the role's search_path). */
    private static boolean exists(JdbcTemplate jdbc, String table) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from information_schema.tables where table_schema = current_schema() and table_name = ?)",
                Boolean.class, table));
    }
}
