package org.wharf.cli.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code wharf schedule add|list|show|pause|resume|run|delete}: the scheduler-service's schedules. */
@Command(name = "schedule", description = "Fire commands (backups, deploys, any catalog command) on cron schedules.",
        subcommands = {AddSchedule.class, ListSchedules.class, ShowSchedule.class, ScheduleAction.Pause.class,
                ScheduleAction.Resume.class, ScheduleAction.Run.class, ScheduleAction.Delete.class})
public class ScheduleCommand {

    // Inherited, so that 'wharf schedule add --help' shows the options rather than a usage error.
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;
}
