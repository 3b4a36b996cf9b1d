package org.wharf.cli.local;

import java.nio.file.Path;

import org.wharf.cli.support.Cli;

import picocli.CommandLine.Command;

/**
 * {@code wharf local up}: broker, PostgreSQL, S3 and the five services, in this process or (--processes)
 * each in a process of its own; {@code wharf local ps}: which processes the stack on a folder runs.
 */
@Command(name = "local", description = "Run the whole platform on this machine.",
        subcommands = {LocalUp.class, LocalPs.class, LocalStop.class, LocalStart.class,
                LocalRestart.class})
public class LocalCommand {

    /** The most replicas of one service --replicas takes. */
    static final int MAX_REPLICAS = 16;

    /** --data-dir, or $WHARF_HOME/local. */
    static Path dataDir(Cli cli, Path given) {
        return given != null ? given : cli.home().resolve("local");
    }
}
