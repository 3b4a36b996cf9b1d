package org.wharf.cli.audit;

import picocli.CommandLine.Command;

/** {@code wharf audit tail}: every command and event, as the services published them. */
@Command(name = "audit", description = "Read the audit trail.", subcommands = AuditTail.class)
public class AuditCommand {
}
