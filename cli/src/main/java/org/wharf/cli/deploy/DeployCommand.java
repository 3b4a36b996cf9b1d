package org.wharf.cli.deploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code wharf deploy run|rollback|unlock|status|releases}: the deploy-service's deployments. */
@Command(name = "deploy", description = "Deploy applications to their environments over SSH, roll back, see deployments and releases.",
        subcommands = {RunDeploy.class, RunRollback.class, Unlock.class, ShowStatus.class, ListReleases.class})
public class DeployCommand {

    /** How long --wait waits by default: a deploy's deadline to start (1h) and then its run. */
    static final String WAIT_DEFAULT = "PT2H";

    // Inherited, so that 'wharf deploy run --help' shows the options rather than a usage error.
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;
}
