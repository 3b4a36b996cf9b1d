package org.wharf.common.db;

import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Gives a service its own role and schema: the role owns the schema (so Flyway, running as that role,
 * can migrate it) and is granted nothing else, so it cannot read another service's schema. Used by
 * tests and the local stack; in production a DBA runs the same statements (see the README).
 */
public final class ServiceDatabase {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private ServiceDatabase() {
    }

    public static void provision(DataSource superuser, String schema, String password) {
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        String quotedPassword = "'" + password.replace("'", "''") + "'";
        JdbcTemplate jdbc = new JdbcTemplate(superuser);
        Integer exists = jdbc.queryForObject("select count(*) from pg_roles where rolname = ?", Integer.class, schema);
        if (exists == null || exists == 0) {
            jdbc.execute("create role " + schema + " login password " + quotedPassword);
        } else {
            jdbc.execute("alter role " + schema + " login password " + quotedPassword);
        }
        jdbc.execute("create schema if not exists " + schema + " authorization " + schema);
        // PostgreSQL 15 already denies CREATE on public to everyone; make the role's reach explicit anyway.
        jdbc.execute("revoke all on schema public from " + schema);
        jdbc.execute("alter role " + schema + " set search_path = " + schema);
    }
}
