package org.wharf.backup.restore.internal;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.wharf.backup.target.BackupTargets.Target;

/** The target's PostgreSQL server, as the restore user sees it: databases to create and drop, tables to count. */
public final class TargetServer {

    /** "database is being accessed by other users". */
    private static final String OBJECT_IN_USE = "55006";
    private static final Pattern DATABASE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Target target;

    public TargetServer(Target target) {
        this.target = target;
    }

    /** Null if {@code name} can be a database name, else why not. */
    public static String invalidName(String name) {
        return DATABASE.matcher(name).matches() ? null
                : "database name '" + name + "' is not 1 to 63 lower-case letters, digits or '_', starting with a letter or '_'";
    }

    public boolean exists(String database) {
        Integer n = admin().queryForObject("select count(*) from pg_database where datname = ?", Integer.class, database);
        return n != null && n > 0;
    }

    public void create(String database) {
        admin().execute("create database \"" + database + "\"");
    }

    /**
     * Drops the database, disconnecting whoever is connected to it. A plain DROP first: it stops an
     * autovacuum worker on the database itself (a freshly restored one gets one soon), where FORCE, for
     * a role that is not a superuser, refuses to terminate that worker ("must be a member of the role
     * whose process is being terminated"). FORCE only when sessions are connected (55006).
     */
    public void drop(String database) {
        try {
            admin().execute("drop database if exists \"" + database + "\"");
        } catch (DataAccessException e) {
            if (!(e.getMostSpecificCause() instanceof SQLException sql) || !OBJECT_IN_USE.equals(sql.getSQLState())) {
                throw e;
            }
            admin().execute("drop database if exists \"" + database + "\" with (force)");
        }
    }

    /** Renames a database (nobody may be connected to it). */
    public void rename(String database, String newName) {
        admin().execute("alter database \"" + database + "\" rename to \"" + newName + "\"");
    }

    /** Row counts of every table of the database, {@code schema.table} in name order. */
    public Map<String, Long> rowCounts(String database) {
        // One connection for all the counts, not one per table.
        SingleConnectionDataSource connection = new SingleConnectionDataSource(url(database), target.restoreUser(), password(), true);
        try {
            return rowCounts(new JdbcTemplate(connection));
        } finally {
            connection.destroy();
        }
    }

    private static Map<String, Long> rowCounts(JdbcTemplate db) {
        List<String> tables = db.queryForList("""
                select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
                where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
                order by 1""", String.class);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            counts.put(table, db.queryForObject("select count(*) from " + table, Long.class));
        }
        return counts;
    }

    private JdbcTemplate admin() {
        return new JdbcTemplate(new DriverManagerDataSource(url("postgres"), target.restoreUser(), password()));
    }

    private String url(String database) {
        return "jdbc:postgresql://" + target.getHost() + ":" + target.getPort() + "/" + database;
    }

    private String password() {
        return target.restoreSecret() == null ? "" : target.restoreSecret();
    }
}
