package org.wharf.cli.deploy;

import java.time.Duration;

import picocli.CommandLine.Option;

/** {@code --wait} and {@code --timeout} of a deploy or rollback, as a picocli mixin. */
public class FollowOptions {

    @Option(names = "--wait", description = "Follow it, a line per step, until it completed, failed or rolled back.")
    boolean wait;
    @Option(names = "--timeout", defaultValue = DeployCommand.WAIT_DEFAULT, paramLabel = "DURATION",
            description = "How long --wait waits (90s, 10m, 2h or ISO-8601; default ${DEFAULT-VALUE}).")
    Duration timeout;
}
