package org.wharf.cli.probe;

import picocli.CommandLine.Command;

/** {@code wharf probe deposit|backup|deploy}: checks for Icinga, Nagios or any runner of monitoring plugins. */
@Command(name = "probe", description = {"Check the platform end to end as a monitoring plugin (Icinga, Nagios): "
        + "one status line on stdout, with performance data.",
        "Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the check itself could not be made, e.g. no broker)."},
        subcommands = {ProbeDeposit.class, ProbeBackup.class, ProbeDeploy.class})
public class ProbeCommand {
}
