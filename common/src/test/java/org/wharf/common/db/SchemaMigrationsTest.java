package org.wharf.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.common.testsupport.SharedInfrastructure;

/**
 * Common's migrations and a service's have a history each, so neither needs Flyway's out-of-order
 * mode; a schema migrated with the one mixed history of before (common's later migrations applied
 * out of order) moves to the two histories and goes on migrating, its data kept.
 */
class SchemaMigrationsTest {

    private static final String SERVICE = "classpath:db/schema-migrations-test/service";
    private static final String COMMON_LATER = "classpath:db/schema-migrations-test/common-later";

    @Test
    void aSchemaMigratedWithTheMixedOutOfOrderHistoryMovesToTwoHistoriesAndKeepsMigrating() {
        DataSource dataSource = dataSource("schemamigrationsupgrade");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // The history as the services have it: V0_1 with V1 and V2, then V0_2 and V0_3 applied out of order.
        Flyway.configure().dataSource(dataSource).locations(SchemaMigrations.COMMON_LOCATION).target("0.1").load().migrate();
        Flyway.configure().dataSource(dataSource).locations(SERVICE).ignoreMigrationPatterns("*:missing").load().migrate();
        MigrateResult old = Flyway.configure().dataSource(dataSource).locations(SERVICE, SchemaMigrations.COMMON_LOCATION)
                .outOfOrder(true).load().migrate();
        assertThat(old.migrations).extracting(m -> m.version).containsExactly("0.2", "0.3");
        assertThat(versions(jdbc, "flyway_schema_history")).containsExactly("0.1", "1", "2", "0.2", "0.3");
        jdbc.update("insert into things (id, name) values (1, 'kept')");
        jdbc.update("insert into outbox (topic, record_key, ce_id, ce_type, ce_source, ce_time, payload) "
                + "values ('t', 'k', 'kept', 'x', 's', now(), '\\x00')");

        migrateAsAServiceStarts(dataSource, SchemaMigrations.COMMON_LOCATION, COMMON_LATER);

        assertThat(versions(jdbc, "flyway_schema_history")).containsExactly("1", "2");
        assertThat(versions(jdbc, SchemaMigrations.COMMON_HISTORY)).containsExactly("0.3", "0.4");
        assertThat(jdbc.queryForObject("select type from " + SchemaMigrations.COMMON_HISTORY + " where version = '0.3'",
                String.class)).isEqualTo("BASELINE");
        assertThat(jdbc.queryForList("select later from outbox where ce_id = 'kept'")).hasSize(1);
        assertThat(jdbc.queryForObject("select name from things where id = 1", String.class)).isEqualTo("kept");

        // And the next start finds nothing to do, and nothing to complain about.
        migrateAsAServiceStarts(dataSource, SchemaMigrations.COMMON_LOCATION, COMMON_LATER);
        assertThat(versions(jdbc, "flyway_schema_history")).containsExactly("1", "2");
        assertThat(versions(jdbc, SchemaMigrations.COMMON_HISTORY)).containsExactly("0.3", "0.4");
    }

    @Test
    void aNewSchemaGetsCommonsMigrationsInTheirHistoryAndTheServicesInFlyways() {
        DataSource dataSource = dataSource("schemamigrationsfresh");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        migrateAsAServiceStarts(dataSource, SchemaMigrations.COMMON_LOCATION);

        assertThat(versions(jdbc, SchemaMigrations.COMMON_HISTORY)).containsExactly("0.1", "0.2", "0.3");
        assertThat(versions(jdbc, "flyway_schema_history")).containsExactly("0", "1", "2");
        assertThat(jdbc.queryForObject("select type from flyway_schema_history where version = '0'", String.class))
                .isEqualTo("BASELINE");
        assertThat(jdbc.queryForList("select parked_at, colour from outbox, things")).isEmpty();

        // A common migration added after the service's V2 applies in order, with no out-of-order mode.
        migrateAsAServiceStarts(dataSource, SchemaMigrations.COMMON_LOCATION, COMMON_LATER);
        assertThat(versions(jdbc, SchemaMigrations.COMMON_HISTORY)).containsExactly("0.1", "0.2", "0.3", "0.4");
    }

    /** As Spring Boot does at start-up with wharf-defaults: the service's own location, out-of-order off. */
    private static void migrateAsAServiceStarts(DataSource dataSource, String... commonLocations) {
        Flyway service = Flyway.configure().dataSource(dataSource).locations(SERVICE).createSchemas(false).load();
        assertThat(service.getConfiguration().isOutOfOrder()).isFalse();
        new SchemaMigrations(commonLocations).migrate(service);
        assertThat(service.validateWithResult().validationSuccessful).isTrue();
    }

    private static List<String> versions(JdbcTemplate jdbc, String history) {
        return jdbc.queryForList("select version from " + history + " where success order by installed_rank", String.class);
    }

    private static DataSource dataSource(String schema) {
        Map<String, Object> properties = SharedInfrastructure.get().serviceProperties(schema);
        return new DriverManagerDataSource((String) properties.get("spring.datasource.url"),
                (String) properties.get("spring.datasource.username"), (String) properties.get("spring.datasource.password"));
    }
}
