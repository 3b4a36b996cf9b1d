package org.wharf.cli.local;

import org.wharf.cli.support.Cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf local stop ROLE [--kill]}: one process of the stack stopped. */
@Command(name = "stop", description = "Stop one process of the local stack (SIGTERM; -9 after 30 s, or at once with "
        + "--kill). Nothing starts it again but `wharf local start`.")
public class LocalStop extends LocalControlCommand {

    @Option(names = "--kill", description = "kill -9 at once, as a crash would.")
    boolean kill;

    public LocalStop(Cli cli) {
        super(cli);
    }

    @Override
    String verb() {
        return kill ? "kill" : "stop";
    }
}
