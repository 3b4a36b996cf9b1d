package org.wharf.common.message;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.wharf.common.message.backup.BackupPinned;
import org.wharf.common.message.backup.BackupProgress;
import org.wharf.common.message.backup.PinBackup;
import org.wharf.common.message.backup.BackupCompleted;
import org.wharf.common.message.backup.BackupFailed;
import org.wharf.common.message.backup.BackupPruned;
import org.wharf.common.message.backup.BackupStarted;
import org.wharf.common.message.backup.PruneBackups;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.backup.RestoreBackup;
import org.wharf.common.message.backup.RestoreCompleted;
import org.wharf.common.message.backup.RestoreFailed;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.client.ClientCreated;
import org.wharf.common.message.client.CreateClient;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.deploy.DeployPlanned;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.DeployUnlocked;
import org.wharf.common.message.deploy.Rollback;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.message.deploy.StepStarted;
import org.wharf.common.message.deploy.UnlockDeploy;
import org.wharf.common.message.deposit.CheckDeposit;
import org.wharf.common.message.deposit.DepositLoadFailed;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositLoading;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.DepositRescheduled;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.message.deposit.LoadDeposit;
import org.wharf.common.message.deposit.RescheduleDeposit;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.message.schedule.ScheduleMissed;
import org.wharf.common.message.schedule.ScheduleOnce;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.topic.Topic;


/**
 * The typed catalog of every message: {@code ce_type}, topic, payload.
 * Each command also declares, once, the events that end the job it starts ({@link #jobEnds}): whoever
 * follows a job (the scheduler's concurrency {@code forbid}) reads that, never the events' names.
 */
public final class Messages {

    // deposits
    public static final MessageType<DepositReceived> DEPOSIT_RECEIVED =
            new MessageType<>("org.wharf.deposit.received.v1", Topic.DEPOSIT_RECEIVED, DepositReceived.class);
    public static final MessageType<DepositVerified> DEPOSIT_VERIFIED =
            new MessageType<>("org.wharf.deposit.verified.v1", Topic.CHECKER_EVENTS, DepositVerified.class);
    public static final MessageType<DepositRejected> DEPOSIT_REJECTED =
            new MessageType<>("org.wharf.deposit.rejected.v1", Topic.CHECKER_EVENTS, DepositRejected.class);
    public static final MessageType<DepositLoading> DEPOSIT_LOADING =
            new MessageType<>("org.wharf.deposit.loading.v1", Topic.LOADER_EVENTS, DepositLoading.class);
    public static final MessageType<DepositLoaded> DEPOSIT_LOADED =
            new MessageType<>("org.wharf.deposit.loaded.v1", Topic.LOADER_EVENTS, DepositLoaded.class);
    public static final MessageType<DepositLoadFailed> DEPOSIT_LOAD_FAILED =
            new MessageType<>("org.wharf.deposit.load-failed.v1", Topic.LOADER_EVENTS, DepositLoadFailed.class);

    public static final MessageType<RescheduleDeposit> RESCHEDULE_DEPOSIT =
            new MessageType<>("org.wharf.deposit.reschedule.v1", Topic.LOADER_COMMANDS, RescheduleDeposit.class);
    public static final MessageType<LoadDeposit> LOAD_DEPOSIT =
            new MessageType<>("org.wharf.deposit.load.v1", Topic.LOADER_COMMANDS, LoadDeposit.class);
    public static final MessageType<DepositRescheduled> DEPOSIT_RESCHEDULED =
            new MessageType<>("org.wharf.deposit.rescheduled.v1", Topic.LOADER_EVENTS, DepositRescheduled.class);
    public static final MessageType<CommandRejected> LOADER_COMMAND_REJECTED =
            new MessageType<>("org.wharf.loader.command-rejected.v1", Topic.LOADER_EVENTS, CommandRejected.class);

    // clients of the deposit service
    public static final MessageType<CreateClient> CREATE_CLIENT =
            new MessageType<>("org.wharf.checker.create-client.v1", Topic.CHECKER_COMMANDS, CreateClient.class);
    public static final MessageType<ClientCreated> CLIENT_CREATED =
            new MessageType<>("org.wharf.checker.client-created.v1", Topic.CHECKER_EVENTS, ClientCreated.class);
    public static final MessageType<CheckDeposit> CHECK_DEPOSIT =
            new MessageType<>("org.wharf.checker.check-deposit.v1", Topic.CHECKER_COMMANDS, CheckDeposit.class);
    public static final MessageType<CommandRejected> CHECKER_COMMAND_REJECTED =
            new MessageType<>("org.wharf.checker.command-rejected.v1", Topic.CHECKER_EVENTS, CommandRejected.class);

    // backups
    public static final MessageType<RunBackup> RUN_BACKUP =
            new MessageType<>("org.wharf.backup.run-backup.v1", Topic.BACKUP_COMMANDS, RunBackup.class);
    public static final MessageType<BackupStarted> BACKUP_STARTED =
            new MessageType<>("org.wharf.backup.backup-started.v1", Topic.BACKUP_EVENTS, BackupStarted.class);
    public static final MessageType<BackupCompleted> BACKUP_COMPLETED =
            new MessageType<>("org.wharf.backup.backup-completed.v1", Topic.BACKUP_EVENTS, BackupCompleted.class);
    public static final MessageType<BackupFailed> BACKUP_FAILED =
            new MessageType<>("org.wharf.backup.backup-failed.v1", Topic.BACKUP_EVENTS, BackupFailed.class);
    public static final MessageType<RestoreBackup> RESTORE_BACKUP =
            new MessageType<>("org.wharf.backup.restore-backup.v1", Topic.BACKUP_COMMANDS, RestoreBackup.class);
    public static final MessageType<RestoreCompleted> RESTORE_COMPLETED =
            new MessageType<>("org.wharf.backup.restore-completed.v1", Topic.BACKUP_EVENTS, RestoreCompleted.class);
    public static final MessageType<RestoreFailed> RESTORE_FAILED =
            new MessageType<>("org.wharf.backup.restore-failed.v1", Topic.BACKUP_EVENTS, RestoreFailed.class);
    public static final MessageType<VerifyBackup> VERIFY_BACKUP =
            new MessageType<>("org.wharf.backup.verify-backup.v1", Topic.BACKUP_COMMANDS, VerifyBackup.class);
    public static final MessageType<BackupVerified> BACKUP_VERIFIED =
            new MessageType<>("org.wharf.backup.backup-verified.v1", Topic.BACKUP_EVENTS, BackupVerified.class);
    public static final MessageType<PruneBackups> PRUNE_BACKUPS =
            new MessageType<>("org.wharf.backup.prune-backups.v1", Topic.BACKUP_COMMANDS, PruneBackups.class);
    public static final MessageType<BackupPruned> BACKUP_PRUNED =
            new MessageType<>("org.wharf.backup.backup-pruned.v1", Topic.BACKUP_EVENTS, BackupPruned.class);
    public static final MessageType<BackupProgress> BACKUP_PROGRESS =
            new MessageType<>("org.wharf.backup.backup-progress.v1", Topic.BACKUP_EVENTS, BackupProgress.class);
    public static final MessageType<PinBackup> PIN_BACKUP =
            new MessageType<>("org.wharf.backup.pin-backup.v1", Topic.BACKUP_COMMANDS, PinBackup.class);
    public static final MessageType<BackupPinned> BACKUP_PINNED =
            new MessageType<>("org.wharf.backup.backup-pinned.v1", Topic.BACKUP_EVENTS, BackupPinned.class);
    public static final MessageType<CommandRejected> BACKUP_COMMAND_REJECTED =
            new MessageType<>("org.wharf.backup.command-rejected.v1", Topic.BACKUP_EVENTS, CommandRejected.class);

    // deploys
    public static final MessageType<Deploy> DEPLOY =
            new MessageType<>("org.wharf.deploy.deploy.v1", Topic.DEPLOY_COMMANDS, Deploy.class);
    public static final MessageType<Rollback> ROLLBACK =
            new MessageType<>("org.wharf.deploy.rollback.v1", Topic.DEPLOY_COMMANDS, Rollback.class);
    public static final MessageType<UnlockDeploy> UNLOCK_DEPLOY =
            new MessageType<>("org.wharf.deploy.unlock.v1", Topic.DEPLOY_COMMANDS, UnlockDeploy.class);
    public static final MessageType<DeployPlanned> DEPLOY_PLANNED =
            new MessageType<>("org.wharf.deploy.deploy-planned.v1", Topic.DEPLOY_EVENTS, DeployPlanned.class);
    public static final MessageType<DeployStarted> DEPLOY_STARTED =
            new MessageType<>("org.wharf.deploy.deploy-started.v1", Topic.DEPLOY_EVENTS, DeployStarted.class);
    public static final MessageType<StepStarted> STEP_STARTED =
            new MessageType<>("org.wharf.deploy.step-started.v1", Topic.DEPLOY_EVENTS, StepStarted.class);
    public static final MessageType<StepFinished> STEP_FINISHED =
            new MessageType<>("org.wharf.deploy.step-finished.v1", Topic.DEPLOY_EVENTS, StepFinished.class);
    public static final MessageType<DeployCompleted> DEPLOY_COMPLETED =
            new MessageType<>("org.wharf.deploy.deploy-completed.v1", Topic.DEPLOY_EVENTS, DeployCompleted.class);
    public static final MessageType<DeployFailed> DEPLOY_FAILED =
            new MessageType<>("org.wharf.deploy.deploy-failed.v1", Topic.DEPLOY_EVENTS, DeployFailed.class);
    public static final MessageType<RolledBack> ROLLED_BACK =
            new MessageType<>("org.wharf.deploy.rolled-back.v1", Topic.DEPLOY_EVENTS, RolledBack.class);
    public static final MessageType<DeployUnlocked> DEPLOY_UNLOCKED =
            new MessageType<>("org.wharf.deploy.deploy-unlocked.v1", Topic.DEPLOY_EVENTS, DeployUnlocked.class);
    public static final MessageType<CommandRejected> DEPLOY_COMMAND_REJECTED =
            new MessageType<>("org.wharf.deploy.command-rejected.v1", Topic.DEPLOY_EVENTS, CommandRejected.class);

    // schedules
    public static final MessageType<ScheduleDefinition> CREATE_SCHEDULE =
            new MessageType<>("org.wharf.scheduler.create-schedule.v1", Topic.SCHEDULER_COMMANDS, ScheduleDefinition.class);
    public static final MessageType<ScheduleDefinition> UPDATE_SCHEDULE =
            new MessageType<>("org.wharf.scheduler.update-schedule.v1", Topic.SCHEDULER_COMMANDS, ScheduleDefinition.class);
    public static final MessageType<ScheduleRef> PAUSE_SCHEDULE =
            new MessageType<>("org.wharf.scheduler.pause-schedule.v1", Topic.SCHEDULER_COMMANDS, ScheduleRef.class);
    public static final MessageType<ScheduleRef> RESUME_SCHEDULE =
            new MessageType<>("org.wharf.scheduler.resume-schedule.v1", Topic.SCHEDULER_COMMANDS, ScheduleRef.class);
    public static final MessageType<ScheduleRef> DELETE_SCHEDULE =
            new MessageType<>("org.wharf.scheduler.delete-schedule.v1", Topic.SCHEDULER_COMMANDS, ScheduleRef.class);
    public static final MessageType<ScheduleRef> RUN_SCHEDULE =
            new MessageType<>("org.wharf.scheduler.run-schedule.v1", Topic.SCHEDULER_COMMANDS, ScheduleRef.class);
    public static final MessageType<ScheduleOnce> SCHEDULE_ONCE =
            new MessageType<>("org.wharf.scheduler.schedule-once.v1", Topic.SCHEDULER_COMMANDS, ScheduleOnce.class);
    public static final MessageType<Schedule> SCHEDULE_CREATED =
            new MessageType<>("org.wharf.scheduler.schedule-created.v1", Topic.SCHEDULER_EVENTS, Schedule.class);
    public static final MessageType<Schedule> SCHEDULE_UPDATED =
            new MessageType<>("org.wharf.scheduler.schedule-updated.v1", Topic.SCHEDULER_EVENTS, Schedule.class);
    public static final MessageType<Schedule> SCHEDULE_PAUSED =
            new MessageType<>("org.wharf.scheduler.schedule-paused.v1", Topic.SCHEDULER_EVENTS, Schedule.class);
    public static final MessageType<Schedule> SCHEDULE_RESUMED =
            new MessageType<>("org.wharf.scheduler.schedule-resumed.v1", Topic.SCHEDULER_EVENTS, Schedule.class);
    public static final MessageType<ScheduleRef> SCHEDULE_DELETED =
            new MessageType<>("org.wharf.scheduler.schedule-deleted.v1", Topic.SCHEDULER_EVENTS, ScheduleRef.class);
    public static final MessageType<ScheduleFired> SCHEDULE_FIRED =
            new MessageType<>("org.wharf.scheduler.schedule-fired.v1", Topic.SCHEDULER_EVENTS, ScheduleFired.class);
    public static final MessageType<ScheduleMissed> SCHEDULE_MISSED =
            new MessageType<>("org.wharf.scheduler.schedule-missed.v1", Topic.SCHEDULER_EVENTS, ScheduleMissed.class);
    public static final MessageType<CommandRejected> SCHEDULER_COMMAND_REJECTED =
            new MessageType<>("org.wharf.scheduler.command-rejected.v1", Topic.SCHEDULER_EVENTS, CommandRejected.class);

    /**
     * The events that end the job each command starts, by command type: its outcomes, and its
     * service's command-rejected (a refusal, a deadline passed, an unreadable payload).
     */
    /** Each commands topic's refusal: the command-rejected its service writes on its own events topic. */
    private static final Map<Topic, MessageType<CommandRejected>> COMMAND_REJECTED = Map.of(
            Topic.LOADER_COMMANDS, LOADER_COMMAND_REJECTED,
            Topic.CHECKER_COMMANDS, CHECKER_COMMAND_REJECTED,
            Topic.BACKUP_COMMANDS, BACKUP_COMMAND_REJECTED,
            Topic.DEPLOY_COMMANDS, DEPLOY_COMMAND_REJECTED,
            Topic.SCHEDULER_COMMANDS, SCHEDULER_COMMAND_REJECTED);

    private static final Map<String, Set<MessageType<?>>> JOB_ENDS = declare(
            ends(LOAD_DEPOSIT, DEPOSIT_LOADED, DEPOSIT_LOAD_FAILED),
            ends(RESCHEDULE_DEPOSIT, DEPOSIT_RESCHEDULED),
            ends(CREATE_CLIENT, CLIENT_CREATED),
            ends(CHECK_DEPOSIT, DEPOSIT_VERIFIED, DEPOSIT_REJECTED),
            ends(RUN_BACKUP, BACKUP_COMPLETED, BACKUP_FAILED),
            ends(RESTORE_BACKUP, RESTORE_COMPLETED, RESTORE_FAILED),
            ends(VERIFY_BACKUP, BACKUP_VERIFIED),
            ends(PRUNE_BACKUPS, BACKUP_PRUNED),
            ends(PIN_BACKUP, BACKUP_PINNED),
            ends(DEPLOY, DEPLOY_COMPLETED, DEPLOY_FAILED, ROLLED_BACK, DEPLOY_PLANNED),
            ends(ROLLBACK, ROLLED_BACK, DEPLOY_FAILED),
            ends(UNLOCK_DEPLOY, DEPLOY_UNLOCKED),
            ends(CREATE_SCHEDULE, SCHEDULE_CREATED),
            ends(UPDATE_SCHEDULE, SCHEDULE_UPDATED),
            ends(PAUSE_SCHEDULE, SCHEDULE_PAUSED),
            ends(RESUME_SCHEDULE, SCHEDULE_RESUMED),
            ends(DELETE_SCHEDULE, SCHEDULE_DELETED),
            ends(RUN_SCHEDULE, SCHEDULE_FIRED),
            ends(SCHEDULE_ONCE, SCHEDULE_CREATED));

    /**
     * What each service reads: the types it handles. Its subscriptions must handle exactly these
     * ({@code Subscriptions.of} refuses to start otherwise), so the ACL plan and the contract documents,
     * made from this, name the readers the code has.
     */
    private static final Map<WharfService, List<MessageType<?>>> READ_BY = Map.of(
            WharfService.CHECKER, List.of(DEPOSIT_RECEIVED, CREATE_CLIENT, CHECK_DEPOSIT),
            WharfService.LOADER, List.of(DEPOSIT_VERIFIED, LOAD_DEPOSIT, RESCHEDULE_DEPOSIT),
            WharfService.BACKUP, List.of(RUN_BACKUP, RESTORE_BACKUP, VERIFY_BACKUP, PRUNE_BACKUPS, PIN_BACKUP),
            // and the backup-service's answers to the backup a deployment asks for before it migrates
            WharfService.DEPLOY, List.of(DEPLOY, ROLLBACK, UNLOCK_DEPLOY, BACKUP_COMPLETED, BACKUP_FAILED, BACKUP_COMMAND_REJECTED),
            WharfService.SCHEDULER, List.of(CREATE_SCHEDULE, UPDATE_SCHEDULE, PAUSE_SCHEDULE, RESUME_SCHEDULE, DELETE_SCHEDULE,
                    RUN_SCHEDULE, SCHEDULE_ONCE));

    /**
     * The topics a service reads every record of, whatever its type: the scheduler follows the other services'
     * events to see the jobs it fired end ({@link #commandsEndedBy}).
     */
    private static final Map<WharfService, List<Topic>> FOLLOWED_WHOLE_BY = Map.of(
            WharfService.SCHEDULER, List.of(Topic.CHECKER_EVENTS, Topic.LOADER_EVENTS, Topic.BACKUP_EVENTS, Topic.DEPLOY_EVENTS));

    private static final List<MessageType<?>> ALL = collectAll();

    private Messages() {
    }

    /** Every message type of the catalog. */
    public static List<MessageType<?>> all() {
        return ALL;
    }

    /** Every command type of the catalog (the types on commands topics). */
    public static List<MessageType<?>> commands() {
        return ALL.stream().filter(t -> t.topic().kind() == Topic.Kind.COMMANDS).toList();
    }

    /** The types {@code service} handles. */
    public static List<MessageType<?>> readBy(WharfService service) {
        return READ_BY.getOrDefault(service, List.of());
    }

    /** The topics {@code service} reads every record of. */
    public static List<Topic> followedWholeBy(WharfService service) {
        return FOLLOWED_WHOLE_BY.getOrDefault(service, List.of());
    }

    /** The services that read messages of this type, in catalog order: by their type, or all of their topic. */
    public static List<WharfService> readersOf(MessageType<?> type) {
        return Arrays.stream(WharfService.values())
                .filter(service -> readBy(service).contains(type) || followedWholeBy(service).contains(type.topic()))
                .toList();
    }

    /**
     * Who writes messages of this type: an event's one service; for a command, the operator's {@code wharf} and
     * the services that send commands of its topic, which the ACL plan names (empty here).
     */
    public static Optional<WharfService> writerOf(MessageType<?> type) {
        return type.topic().kind() == Topic.Kind.EVENTS ? WharfService.of(type.topic()) : Optional.empty();
    }

    /** The events that end the job a command of this type starts; empty for a type the catalog does not know. */
    public static Set<MessageType<?>> jobEnds(String commandType) {
        return JOB_ENDS.getOrDefault(commandType, Set.of());
    }

    /** The command types whose job an event of this type ends; empty when it ends none. */
    public static Set<String> commandsEndedBy(String eventType) {
        Set<String> commands = new LinkedHashSet<>();
        JOB_ENDS.forEach((command, ends) -> {
            if (ends.stream().anyMatch(end -> end.type().equals(eventType))) {
                commands.add(command);
            }
        });
        return commands;
    }

    /** The command-rejected that answers a refused command read from {@code commandsTopic}, or null if none. */
    public static MessageType<CommandRejected> commandRejectedOn(Topic commandsTopic) {
        return COMMAND_REJECTED.get(commandsTopic);
    }

    /** A command's ends: its outcomes, and its service's command-rejected. */
    private static Map.Entry<String, Set<MessageType<?>>> ends(MessageType<?> command, MessageType<?>... outcomes) {
        Set<MessageType<?>> ends = new LinkedHashSet<>(List.of(outcomes));
        ends.add(commandRejectedOn(command.topic()));
        return Map.entry(command.type(), Set.copyOf(ends));
    }

    @SafeVarargs
    private static Map<String, Set<MessageType<?>>> declare(Map.Entry<String, Set<MessageType<?>>>... entries) {
        Map<String, Set<MessageType<?>>> map = new LinkedHashMap<>();
        for (Map.Entry<String, Set<MessageType<?>>> e : entries) {
            if (map.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalStateException("job ends of " + e.getKey() + " declared twice");
            }
        }
        return Map.copyOf(map);
    }

    /** The catalog's constants, read once: a new one is in {@link #all()} without being listed twice. */
    private static List<MessageType<?>> collectAll() {
        List<MessageType<?>> all = new ArrayList<>();
        for (Field field : Messages.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || !Modifier.isPublic(field.getModifiers())) {
                continue;
            }
            try {
                Object value = field.get(null);
                if (value instanceof MessageType<?> type) {
                    all.add(type);
                } else if (value instanceof Collection<?> types) {
                    types.stream().filter(MessageType.class::isInstance).forEach(t -> all.add((MessageType<?>) t));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(all);
    }
}
