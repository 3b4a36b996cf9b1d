package org.wharf.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.wharf.cli.audit.AuditCommand;
import org.wharf.cli.backup.BackupCommand;
import org.wharf.cli.client.ClientCommand;
import org.wharf.cli.completion.CompletionCommand;
import org.wharf.cli.config.ConfigCommand;
import org.wharf.cli.deploy.DeployCommand;
import org.wharf.cli.deposit.DepositCommand;
import org.wharf.cli.local.LocalCommand;
import org.wharf.cli.probe.Probe;
import org.wharf.cli.probe.ProbeCommand;
import org.wharf.cli.schedule.ScheduleCommand;
import org.wharf.cli.support.BuildVersion;
import org.wharf.cli.support.Cli;
import org.wharf.cli.support.DurationOption;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.HelpCommand;
import org.wharf.cli.support.Terminal;
import org.wharf.cli.support.UsageException;
import org.wharf.common.util.Reasons;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wharf} command. */
@Command(name = "wharf", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Operate Wharf: deposits, backups, deploys, schedules and the audit trail.",
        footer = {"", "'wharf help COMMAND...' or 'wharf COMMAND... --help' tells more about each command."},
        subcommands = {LocalCommand.class, ClientCommand.class, DepositCommand.class, BackupCommand.class, DeployCommand.class, ScheduleCommand.class, AuditCommand.class, ProbeCommand.class,
                ConfigCommand.class, HelpCommand.class, CompletionCommand.class})
public class Wharf {

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit status. Tests call this directly. */
    public static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        return execute(args, environment, Terminal.Input.system(), out, err);
    }

    /** Runs one command line with confirmations read from {@code input}; returns the exit status. */
    public static int execute(String[] args, Map<String, String> environment, Terminal.Input input, PrintWriter out, PrintWriter err) {
        Cli cli = new Cli(environment, new Terminal(out, err, input));
        CommandLine commandLine = commandLine(cli);
        commandLine.setOut(out);
        commandLine.setErr(err);
        // A usage error is one line and exit 2, as every other error: picocli's default adds the whole help.
        // A group called without its subcommand is answered with its usage, which lists them (still exit 2).
        commandLine.setParameterExceptionHandler((error, params) -> {
            CommandLine where = error.getCommandLine();
            if (isGroup(where) && String.valueOf(error.getMessage()).startsWith("Missing required subcommand")) {
                where.usage(where.getErr());
                return Exit.USAGE;
            }
            // A monitoring plugin's usage error is UNKNOWN (3), told on its one status line.
            if (where.getCommand() instanceof Probe probe) {
                cli.terminal().line(probe.service() + " UNKNOWN - " + error.getMessage());
                return 3;
            }
            cli.terminal().progress("wharf: " + error.getMessage() + " (see: " + where.getCommandSpec().qualifiedName() + " --help)");
            return Exit.USAGE;
        });
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            String reason = error instanceof UsageException ? error.getMessage() : Reasons.of(error);
            cli.terminal().progress("wharf: " + reason);
            return Exit.USAGE;
        });
        return commandLine.execute(args);
    }

    /** The whole command tree, each command given the {@link Cli} it needs. */
    public static CommandLine commandLine(Cli cli) {
        CommandLine commandLine = new CommandLine(new Wharf(), new Factory(cli));
        withHelp(commandLine);
        commandLine.registerConverter(Duration.class, DurationOption.converter());
        return commandLine;
    }

    /** A command that only groups others: called alone, it answers with its usage. */
    public static boolean isGroup(CommandLine command) {
        Object user = command.getCommand();
        return !command.getSubcommands().isEmpty() && !(user instanceof Runnable) && !(user instanceof Callable);
    }

    /** Every subcommand answers --help and -h (what each usage error points to), not only the top one. */
    private static void withHelp(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!sub.getCommandSpec().mixins().containsKey("mixinStandardHelpOptions") && sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
            withHelp(sub);
        }
    }

    /** Gives each subcommand the {@link Cli} it needs. */
    private record Factory(Cli cli) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Cli.class);
                return constructor.newInstance(cli);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
