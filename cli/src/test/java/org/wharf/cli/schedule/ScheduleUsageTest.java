package org.wharf.cli.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.support.CliRun;
import org.wharf.common.schedule.ScheduleExpression;

/**
 * Mistakes in {@code wharf schedule add} are usage errors found before the broker is touched. The
 * environment names no broker, so a command that tried to connect would fail with "no Kafka broker
 * known" instead of the reason asserted.
 */
class ScheduleUsageTest {

    @TempDir
    Path home;

    CliRun wharf(String... args) {
        return CliRun.wharf(home, args);
    }

    CliRun add(String... options) {
        List<String> args = new ArrayList<>(List.of("schedule", "add", "nightly"));
        args.addAll(List.of(options));
        return wharf(args.toArray(String[]::new));
    }

    static void assertUsageError(CliRun run, String reason) {
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("wharf: " + reason + System.lineSeparator());
    }

    @Test
    void aBadExpressionIsAUsageErrorWithItsMessage() {
        String message = catchThrowable(() -> ScheduleExpression.parse("0 2 * *")).getMessage();
        assertThat(message).contains("0 2 * *");
        assertUsageError(add("--cron", "0 2 * *", "--backup", "db"), message);
    }

    @Test
    void aBadZoneIsAUsageErrorWithItsMessage() {
        String message = catchThrowable(() -> ScheduleExpression.zone("Mars/Olympus_Mons")).getMessage();
        assertThat(message).contains("Mars/Olympus_Mons");
        assertUsageError(add("--cron", "0 2 * * *", "--zone", "Mars/Olympus_Mons", "--backup", "db"), message);
    }

    @Test
    void aTypeOutsideTheCatalogWithoutTopicIsAUsageError() {
        assertUsageError(add("--cron", "0 2 * * *", "--type", "org.example.thing.v1", "--payload", "{}"),
                "--type org.example.thing.v1 is not in the message catalog: say where it goes with --topic");
    }

    @Test
    void aPayloadThatIsNotAnObjectIsAUsageError() {
        assertUsageError(add("--cron", "0 2 * * *", "--type", "org.wharf.backup.run-backup.v1", "--payload", "[\"db\"]"),
                "--payload must be a JSON object, not an array");
    }

    @Test
    void otherBadOptionsAreUsageErrorsToo() {
        assertUsageError(add("--cron", "0 2 * * *"),
                "say what to fire: exactly one of --backup TARGET, --deploy APP ENV, --type T --payload JSON");
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--missed", "always"),
                "--missed always: not one of fire-once, skip");
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--concurrency", "never"),
                "--concurrency never: not one of allow, forbid");
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--starting-deadline", "soon"),
                "--starting-deadline soon: not a duration (try 90s, 10m, 1h or PT10M)");
    }

    @Test
    void aJobTimeoutMustBePositiveAndGoesWithForbidOnly() {
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--concurrency", "forbid", "--job-timeout", "0s"),
                "--job-timeout 0s: not a whole number of seconds, at least 1s");
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--concurrency", "forbid", "--job-timeout", "-PT2H"),
                "--job-timeout -PT2H: not a whole number of seconds, at least 1s");
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--concurrency", "forbid", "--job-timeout", "2 hours"),
                "--job-timeout 2 hours: not a duration (try 90s, 10m, 1h or PT10M)");
        String forbidOnly = "--job-timeout goes with --concurrency forbid only (a schedule waits for its job only then)";
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--job-timeout", "2h"), forbidOnly);
        assertUsageError(add("--cron", "0 2 * * *", "--backup", "db", "--concurrency", "allow", "--job-timeout", "30m"), forbidOnly);
    }

    @Test
    void aValidScheduleGetsAsFarAsTheConnection() {
        // The counterpart of the above: with nothing wrong, the first complaint is the missing broker.
        CliRun run = add("--cron", "0 2 * * *", "--zone", "Europe/Paris", "--deploy", "portal", "prod",
                "--missed", "skip", "--starting-deadline", "10m", "--concurrency", "forbid", "--job-timeout", "PT2H", "--paused");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("wharf: no Kafka broker known").doesNotContain("\n\t");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void theOtherSubcommandsGetAsFarAsTheConnection() {
        for (String subcommand : List.of("pause", "resume", "run", "delete", "show", "list")) {
            CliRun run = subcommand.equals("list") ? wharf("schedule", "list") : wharf("schedule", subcommand, "nightly");
            assertThat(run.status()).as(subcommand).isEqualTo(2);
            assertThat(run.err()).as(subcommand).startsWith("wharf: no Kafka broker known");
            assertThat(run.err().lines()).as(subcommand).hasSize(1);
        }
    }

    @Test
    void theSubcommandsAreThere() {
        CliRun help = wharf("schedule", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("add", "list", "show", "pause", "resume", "run", "delete");
    }
}
