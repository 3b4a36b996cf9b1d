package org.wharf.cli.local;

import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.Exit;
import org.wharf.cli.support.UsageException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf local ps}: the processes of the stack, from its table. */
@Command(name = "ps", description = "List the processes of the local stack on --data-dir: role, pid, whether each still "
        + "runs, and its log. Exit status 0 while the stack runs, 1 when none does.")
public class LocalPs implements Callable<Integer> {

    private final Cli cli;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The stack's folder (default $WHARF_HOME/local).")
    Path dataDir;

    public LocalPs(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Path work = LocalCommand.dataDir(cli, dataDir);
        List<LocalProcesses.Entry> entries = LocalProcesses.readTable(work)
                .orElseThrow(() -> new UsageException("no local stack has run on " + work + " (see wharf local up --data-dir)"));
        var t = cli.terminal();
        t.line(String.format("%-18s %8s  %-8s %-20s %s", "ROLE", "PID", "STATE", "STARTED", "LOG"));
        boolean stackRuns = false;
        for (LocalProcesses.Entry e : entries) {
            boolean running = e.running();
            stackRuns |= running && e.role().equals("wharf-local-up");
            t.line(String.format("%-18s %8d  %-8s %-20s %s", e.role(), e.pid(), running ? "running" : "exited",
                    e.started().truncatedTo(ChronoUnit.SECONDS), e.log()));
        }
        return stackRuns ? Exit.OK : 1;
    }
}
