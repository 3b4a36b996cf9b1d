package org.wharf.cli.completion;

import java.util.concurrent.Callable;

import org.wharf.cli.support.Exit;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wharf completion bash|zsh}: a completion script for the whole command tree, made by picocli's
 * AutoComplete from the commands themselves (so it never lags behind them). zsh runs the bash script
 * through its bashcompinit, as picocli documents.
 */
@Command(name = "completion", description = {"Print a shell completion script for wharf.",
        "bash: source <(wharf completion bash)   zsh: source <(wharf completion zsh)   (or put it in your shell's rc file)"})
public class CompletionCommand implements Callable<Integer> {

    /** The shells a script is made for. */
    public enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(root.getCommandName(), root);
        if (shell == Shell.zsh) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return Exit.OK;
    }
}
