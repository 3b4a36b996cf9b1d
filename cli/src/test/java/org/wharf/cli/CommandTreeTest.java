package org.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.CliRun;
import org.wharf.cli.support.Terminal;

import picocli.CommandLine;

/**
 * Walks the whole command tree, as a newcomer would: every command and subcommand answers --help and -h
 * with its usage (exit 0), {@code wharf help <command…>} answers the same, a group called without a
 * subcommand answers its usage listing them (exit 2), --version is the build's, and the completion scripts
 * name every command.
 */
class CommandTreeTest {

    @TempDir
    Path home;

    @Test
    void everyCommandExplainsItself() {
        List<String> checked = new ArrayList<>();
        for (List<String> path : paths(tree(), new ArrayList<>())) {
            String name = "wharf " + String.join(" ", path);
            CliRun help = run(path, "--help");
            assertThat(help.status()).as(name + " --help: " + help.err()).isZero();
            assertThat(help.out()).as(name + " --help").startsWith("Usage: " + name.strip());
            assertThat(help.err()).as(name + " --help").isEmpty();

            CliRun shortHelp = run(path, "-h");
            assertThat(shortHelp.status()).as(name + " -h").isZero();
            assertThat(shortHelp.out()).as(name + " -h").isEqualTo(help.out());

            if (!path.isEmpty()) {
                List<String> asked = new ArrayList<>(List.of("help"));
                asked.addAll(path);
                CliRun helpCommand = CliRun.wharf(home, asked.toArray(String[]::new));
                assertThat(helpCommand.status()).as("wharf help " + String.join(" ", path)).isZero();
                assertThat(helpCommand.out()).as("wharf help " + String.join(" ", path)).isEqualTo(help.out());
            }
            checked.add(name.strip());
        }
        // the walk saw the whole tree, not only the top
        assertThat(checked).contains("wharf", "wharf deposit submit", "wharf backup restore", "wharf deploy run",
                "wharf schedule add", "wharf audit tail", "wharf local up", "wharf completion", "wharf help");
    }

    @Test
    void aGroupWithoutItsSubcommandAnswersWithItsUsage() {
        List<String> groups = new ArrayList<>();
        for (List<String> path : paths(tree(), new ArrayList<>())) {
            CommandLine command = find(tree(), path);
            if (path.isEmpty() || !Wharf.isGroup(command)) {
                continue;
            }
            CliRun alone = CliRun.wharf(home, path.toArray(String[]::new));
            String name = "wharf " + String.join(" ", path);
            assertThat(alone.status()).as(name).isEqualTo(2);
            assertThat(alone.err()).as(name).contains("Usage: " + name);
            for (String sub : command.getSubcommands().keySet()) {
                assertThat(alone.err()).as(name + " lists " + sub).contains(sub);
            }
            groups.add(name);
        }
        assertThat(groups).contains("wharf deposit", "wharf backup", "wharf deploy", "wharf schedule", "wharf audit", "wharf client",
                "wharf local", "wharf config");
    }

    @Test
    void everyJobCommandWaitsTheSameWay() {
        List<List<String>> jobs = List.of(List.of("backup", "run"), List.of("backup", "restore"), List.of("backup", "verify"),
                List.of("backup", "prune"), List.of("deploy", "run"), List.of("deploy", "rollback"), List.of("deposit", "submit"),
                List.of("deposit", "reschedule"), List.of("deposit", "check"));
        for (List<String> job : jobs) {
            CommandLine.Model.CommandSpec spec = find(tree(), job).getCommandSpec();
            String name = "wharf " + String.join(" ", job);
            assertThat(spec.findOption("--wait")).as(name + " --wait").isNotNull();
            assertThat(spec.findOption("--wait").typeInfo().getType()).as(name + " --wait is a flag").isEqualTo(boolean.class);
            assertThat(spec.findOption("--timeout")).as(name + " --timeout").isNotNull();
            assertThat(spec.findOption("--timeout").typeInfo().getType()).as(name + " --timeout").isEqualTo(Duration.class);
            assertThat(String.join(" ", spec.findOption("--timeout").description())).as(name + " --timeout").startsWith("How long --wait waits");
        }
    }

    @Test
    void helpForACommandThatDoesNotExistSaysWhichPartIsWrong() {
        CliRun unknown = CliRun.wharf(home, "help", "deposit", "sumbit");

        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("no command 'deposit sumbit'").contains("wharf deposit --help");
    }

    @Test
    void theVersionIsTheBuilds() {
        String built = System.getProperty("wharf.build.version");
        assertThat(built).as("surefire passes the project's version").isNotBlank();

        CliRun version = CliRun.wharf(home, "--version");

        assertThat(version.status()).isZero();
        assertThat(version.out().strip()).isEqualTo("wharf " + built);
    }

    @Test
    void completionScriptsNameEveryCommand() {
        CliRun bash = CliRun.wharf(home, "completion", "bash");
        CliRun zsh = CliRun.wharf(home, "completion", "zsh");
        CliRun fish = CliRun.wharf(home, "completion", "fish");

        assertThat(bash.status()).isZero();
        assertThat(bash.out()).contains("complete -F").doesNotStartWith("autoload");
        for (String command : tree().getSubcommands().keySet()) {
            assertThat(bash.out()).as("bash completion of " + command).contains(command);
        }
        assertThat(bash.out()).contains("submit", "rollback", "--archive", "--ref");
        assertThat(zsh.status()).isZero();
        assertThat(zsh.out()).startsWith("autoload -U +X compinit").contains("bashcompinit").contains("complete -F");
        assertThat(fish.status()).isEqualTo(2);
        assertThat(fish.err()).contains("fish").contains("bash, zsh");
    }

    private CliRun run(List<String> path, String option) {
        return CliRun.wharf(home, Stream.concat(path.stream(), Stream.of(option)).toArray(String[]::new));
    }

    private CommandLine tree() {
        Terminal terminal = new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Terminal.Input.system());
        return Wharf.commandLine(new Cli(Map.of("WHARF_HOME", home.toString()), terminal));
    }

    /** Every command's path below the root, the root's (empty) first. */
    private static List<List<String>> paths(CommandLine command, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        all.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return; // an alias: its command is walked under its own name
            }
            List<String> below = new ArrayList<>(path);
            below.add(name);
            all.addAll(paths(sub, below));
        });
        return all;
    }

    private static CommandLine find(CommandLine root, List<String> path) {
        CommandLine command = root;
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        return command;
    }
}
