package org.wharf.cli.local;

import org.wharf.cli.support.Cli;

import picocli.CommandLine.Command;

/** {@code wharf local start ROLE}: a process of the stack that exited started again. */
@Command(name = "start", description = "Start again a process of the local stack that exited (stopped, killed, crashed), "
        + "with the configuration it had; returns once it is ready.")
public class LocalStart extends LocalControlCommand {

    public LocalStart(Cli cli) {
        super(cli);
    }

    @Override
    String verb() {
        return "start";
    }
}
