package org.wharf.cli.local;

import org.wharf.cli.support.Cli;

import picocli.CommandLine.Command;

/** {@code wharf local restart ROLE}: one process of the stack stopped and started again. */
@Command(name = "restart", description = "Stop one process of the local stack and start it again; `postgres` restarts "
        + "the PostgreSQL server (a fast shutdown, then started again on its port and data).")
public class LocalRestart extends LocalControlCommand {

    public LocalRestart(Cli cli) {
        super(cli);
    }

    @Override
    String verb() {
        return "restart";
    }
}
