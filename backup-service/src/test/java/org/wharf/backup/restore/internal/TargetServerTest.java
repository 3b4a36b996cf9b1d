package org.wharf.backup.restore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.backup.target.BackupTargets;
import org.wharf.common.testsupport.SharedInfrastructure;

/**
 * Dropping a scratch or staging database as the restore role, which is not a superuser (as the local
 * stack's): the fault run found FORCE refusing when an autovacuum worker was on a fresh restore.
 */
class TargetServerTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String ROLE = "restorer_" + SUFFIX;
    private static final String PASSWORD = "Pw-" + UUID.randomUUID();
    private static JdbcTemplate superuser;
    private static TargetServer server;
    private static int port;

    @BeforeAll
    static void start() {
        superuser = new JdbcTemplate(SharedInfrastructure.get().postgres().superuser());
        port = SharedInfrastructure.get().postgres().port();
        superuser.execute("create role " + ROLE + " login createdb nosuperuser password '" + PASSWORD + "'");
        BackupTargets.Target target = new BackupTargets.Target();
        target.setHost("127.0.0.1");
        target.setPort(port);
        target.setUser(ROLE);
        target.setRestoreUser(ROLE);
        target.setRestorePassword(PASSWORD);
        server = new TargetServer(target);
    }

    @AfterAll
    static void stop() {
        superuser.queryForList("select datname from pg_database where datname like ?", String.class, "%" + SUFFIX)
                .forEach(db -> superuser.execute("drop database if exists \"" + db + "\" with (force)"));
        superuser.execute("drop role if exists " + ROLE);
    }

    @Test
    void anIdleDatabaseIsDropped() {
        String db = "idle_" + SUFFIX;
        server.create(db);
        server.drop(db);
        assertThat(server.exists(db)).isFalse();
        server.drop(db); // gone already: nothing to do, no error
    }

    @Test
    void aDatabaseTheRestoreRoleIsConnectedToIsDroppedDisconnectingIt() throws Exception {
        String db = "busy_" + SUFFIX;
        server.create(db);
        try (Connection session = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, ROLE, PASSWORD)) {
            server.drop(db);
            assertThat(server.exists(db)).isFalse();
            assertThat(session.isValid(2)).as("the session was disconnected").isFalse();
        }
    }

    @Test
    void aDatabaseASuperuserIsConnectedToIsNotDroppedAndTheReasonSaysWhy() throws Exception {
        String db = "held_" + SUFFIX;
        server.create(db);
        try (Connection session = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, "postgres", "")) {
            assertThatThrownBy(() -> server.drop(db)).isInstanceOf(DataAccessException.class)
                    .satisfies(e -> assertThat(((DataAccessException) e).getMostSpecificCause().getMessage())
                            .contains("must be a superuser to terminate superuser process"));
            assertThat(server.exists(db)).isTrue();
            assertThat(session.isValid(2)).isTrue();
        }
    }
}
