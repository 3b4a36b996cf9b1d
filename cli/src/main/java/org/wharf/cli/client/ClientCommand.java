package org.wharf.cli.client;

import picocli.CommandLine.Command;

/** {@code wharf client create}: as Software Heritage's {@code swh deposit admin user create}. */
@Command(name = "client", description = "Manage depositing clients.", subcommands = ClientCreate.class)
public class ClientCommand {
}
