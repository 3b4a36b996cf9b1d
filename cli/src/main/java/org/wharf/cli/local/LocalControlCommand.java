package org.wharf.cli.local;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;
import org.wharf.common.infra.LocalControl;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf local stop|start|restart ROLE}: asks the running {@code wharf local up --processes} on a folder
 * to stop one of its processes, start it again, or both (an operator's drill, or bringing back a replica that
 * died). Exit status 0 when done, 1 when the stack refused (with its reason), 2 when no such stack runs.
 */
public abstract class LocalControlCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "ROLE", description = "A role as `wharf local ps` lists it: broker, s3, checker-1, "
            + "loader-2..., or postgres (restart only).")
    String role;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "The stack's folder (default $WHARF_HOME/local).")
    Path dataDir;

    LocalControlCommand(Cli cli) {
        this.cli = cli;
    }

    /** The request's verb. */
    abstract String verb();

    @Override
    public Integer call() {
        if (!role.matches("[a-z0-9-]{1,40}")) {
            throw new UsageException("not a role: '" + role + "' (see wharf local ps)");
        }
        Path work = LocalCommand.dataDir(cli, dataDir);
        LocalControl.Answer answer;
        try {
            answer = LocalControl.ask(work, verb() + " " + role);
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage() + " (only a stack started with --processes has processes to "
                    + verb() + ")");
        }
        if (answer.ok()) {
            cli.terminal().line(answer.text());
            return Exit.OK;
        }
        cli.terminal().progress("wharf: " + verb() + " " + role + " refused: " + answer.text());
        return Exit.JOB_FAILED;
    }
}
