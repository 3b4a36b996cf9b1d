package org.wharf.cli.backup;

import picocli.CommandLine.Command;

/** {@code wharf backup run | list | restore | verify | prune | pin}: backups of the backup-service's targets. */
@Command(name = "backup", description = "Back up databases to S3, and see the backups.",
        subcommands = {BackupRun.class, BackupList.class, BackupRestore.class, BackupVerify.class, BackupPrune.class, BackupPin.class})
public class BackupCommand {
}
