package org.wharf.cli.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.cli.support.SharedHome;
import org.wharf.cli.support.CliRun;
import org.wharf.cli.local.LocalStack;
import org.wharf.cli.support.Terminal;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.testsupport.SharedInfrastructure;

/**
 * {@code wharf backup restore --drop} against the whole platform, as an operator would type it: a restore
 * over the platform's own database is refused with the rule and changes nothing, even with --yes; --drop
 * asks a person to type the name, and needs --yes from a script; the sample target restores as a role
 * that is no superuser.
 */
class RestoreConfirmationTest {

    private static LocalStack stack;
    private static LocalInfrastructure infrastructure;
    private static Path home;

    /** A terminal on which a person types {@code answers}, one per question. */
    record Typed(List<String> answers, List<String> questions) implements Terminal.Input {
        Typed(String... answers) {
            this(new ArrayList<>(List.of(answers)), new ArrayList<>());
        }

        @Override
        public boolean isTerminal() {
            return true;
        }

        @Override
        public String readLine(String question) {
            questions.add(question);
            return answers.isEmpty() ? null : answers.remove(0);
        }
    }

    /** No terminal: a script, a pipe. */
    static final Terminal.Input SCRIPT = new Terminal.Input() {
        @Override
        public boolean isTerminal() {
            return false;
        }

        @Override
        public String readLine(String question) {
            throw new AssertionError("nobody to ask");
        }
    };

    @BeforeAll
    static void startPlatform() throws IOException {
        infrastructure = SharedInfrastructure.get();
        stack = LocalStack.start(infrastructure, List.of(), Map.of());
        home = SharedHome.create();
        CliRun backup = wharf(SCRIPT, "backup", "run", "sample", "--wait");
        assertThat(backup.status()).as(backup.err()).isZero();
    }

    @AfterAll
    static void stopPlatform() {
        stack.close();
    }

    static CliRun wharf(Terminal.Input input, String... args) {
        return CliRun.wharf(home, input, args);
    }

    @Test
    void aRestoreOverThePlatformsDatabaseIsRefusedAndTheDatabaseIsIntact() {
        JdbcTemplate platform = new JdbcTemplate(infrastructure.postgres().superuser());
        String schemas = "select count(*) from information_schema.tables where table_schema in ('checker', 'loader', 'backup', "
                + "'deploy', 'scheduler')";
        long before = platform.queryForObject(schemas, Long.class);
        assertThat(before).isPositive();

        CliRun refused = wharf(SCRIPT, "backup", "restore", "sample", "--into", "wharf", "--drop", "--yes", "--wait");
        assertThat(refused.status()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("wharf: restore of sample into wharf failed: database wharf is the platform's "
                + "own database (the services' schemas): never a restore's destination");
        assertThat(platform.queryForObject(schemas, Long.class)).as("every service's tables still there").isEqualTo(before);
        assertThat(wharf(SCRIPT, "backup", "list", "sample").status()).as("the platform still answers").isZero();

        CliRun source = wharf(SCRIPT, "backup", "restore", "sample", "--into", "sample", "--drop", "--yes", "--wait");
        assertThat(source.status()).isEqualTo(1);
        assertThat(source.err()).contains("database sample is the source of target sample: a restore goes over it only if the "
                + "target sets allow-restore-over-source: true");
        CliRun elsewhere = wharf(SCRIPT, "backup", "restore", "sample", "--into", "scratch", "--wait");
        assertThat(elsewhere.status()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("database scratch is not allowed by restore-into of target sample "
                + "(sample_restore*, sample_copy*)");
    }

    @Test
    void dropAsksAPersonToTypeTheNameAndAScriptToSayYes() {
        String into = "sample_copy_" + UUID.randomUUID().toString().substring(0, 8);
        CliRun first = wharf(SCRIPT, "backup", "restore", "sample", "--into", into, "--wait");
        assertThat(first.status()).as(first.err()).isZero();
        sample(into).execute("delete from deposit_log where id > 10");

        CliRun script = wharf(SCRIPT, "backup", "restore", "sample", "--into", into, "--drop", "--wait");
        assertThat(script.status()).isEqualTo(2);
        assertThat(script.err()).isEqualTo("wharf: --drop replaces " + into + " if it exists: add --yes to confirm when not on a "
                + "terminal" + System.lineSeparator());
        Typed wrong = new Typed("sample");
        CliRun mistyped = wharf(wrong, "backup", "restore", "sample", "--into", into, "--drop", "--wait");
        assertThat(mistyped.status()).isEqualTo(2);
        assertThat(mistyped.err()).contains("not confirmed: nothing was done");
        assertThat(wrong.questions()).singleElement().asString().contains("Type " + into + " to go on");
        assertThat(sample(into).queryForObject("select count(*) from deposit_log", Long.class)).as("nothing was done").isEqualTo(10L);

        CliRun confirmed = wharf(new Typed(into), "backup", "restore", "sample", "--into", into, "--drop", "--wait");
        assertThat(confirmed.status()).as(confirmed.err()).isZero();
        assertThat(sample(into).queryForObject("select count(*) from deposit_log", Long.class)).isEqualTo(1000L);
        CliRun yes = wharf(SCRIPT, "backup", "restore", "sample", "--into", into, "--drop", "--yes", "--wait");
        assertThat(yes.status()).as(yes.err()).isZero();

        // The sample target restores as a role that may create databases and nothing more.
        JdbcTemplate admin = new JdbcTemplate(infrastructure.postgres().superuser());
        assertThat(admin.queryForObject("select rolsuper or rolcreaterole or rolbypassrls from pg_roles where rolname = ?",
                Boolean.class, LocalInfrastructure.SAMPLE_RESTORE_ROLE)).isFalse();
        assertThat(admin.queryForObject("select rolcreatedb from pg_roles where rolname = ?", Boolean.class,
                LocalInfrastructure.SAMPLE_RESTORE_ROLE)).isTrue();
        assertThat(admin.queryForObject("select pg_get_userbyid(datdba) from pg_database where datname = ?", String.class, into))
                .isEqualTo(LocalInfrastructure.SAMPLE_RESTORE_ROLE);
    }

    private static JdbcTemplate sample(String database) {
        return new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + infrastructure.postgres().port()
                + "/" + database, "postgres", ""));
    }
}
