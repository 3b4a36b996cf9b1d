package org.wharf.cli.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wharf help [COMMAND...]}: the usage of any command of the tree, however deep ({@code wharf help
 * deposit submit}); picocli's own help command goes one level only.
 */
@Command(name = "help", helpCommand = true, description = "Show the usage of wharf or of one of its commands (e.g. wharf help deposit submit).")
public class HelpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, with its subcommands: deposit submit")
    List<String> path = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine command = spec.parent().commandLine();
        List<String> walked = new ArrayList<>();
        for (String name : path) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                throw new UsageException("no command '" + String.join(" ", walked) + (walked.isEmpty() ? "" : " ") + name + "' (see: "
                        + command.getCommandSpec().qualifiedName() + " --help)");
            }
            walked.add(name);
            command = sub;
        }
        command.usage(spec.commandLine().getOut());
        return Exit.OK;
    }
}
