package org.wharf.cli.config;

import picocli.CommandLine.Command;

/** {@code wharf config}: what configuration implies. */
@Command(name = "config", description = "Check the platform's configuration.", subcommands = ConfigCheck.class)
public class ConfigCommand {
}
