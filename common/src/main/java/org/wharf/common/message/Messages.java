package org.wharf.common.message;

import java.util.List;

import org.wharf.common.message.client.ClientCreated;
import org.wharf.common.message.client.CreateClient;
import org.wharf.common.message.deposit.DepositLoadFailed;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositLoading;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.DepositRescheduled;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.message.deposit.LoadDeposit;
import org.wharf.common.message.deposit.RescheduleDeposit;
import org.wharf.common.topic.Topic;

import tools.jackson.databind.JsonNode;

/**
 * The typed catalog of every message: {@code ce_type}, topic, payload. Commands whose service does
 * not carry them out yet are typed as raw JSON; their service answers them with {@link CommandRejected}.
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
    public static final MessageType<CommandRejected> CHECKER_COMMAND_REJECTED =
            new MessageType<>("org.wharf.checker.command-rejected.v1", Topic.CHECKER_EVENTS, CommandRejected.class);

    // backups: commands not carried out yet
    public static final List<MessageType<JsonNode>> BACKUP_COMMANDS = List.of(
            command("org.wharf.backup.run-backup.v1", Topic.BACKUP_COMMANDS),
            command("org.wharf.backup.restore-backup.v1", Topic.BACKUP_COMMANDS),
            command("org.wharf.backup.verify-backup.v1", Topic.BACKUP_COMMANDS),
            command("org.wharf.backup.prune-backups.v1", Topic.BACKUP_COMMANDS));
    public static final MessageType<CommandRejected> BACKUP_COMMAND_REJECTED =
            new MessageType<>("org.wharf.backup.command-rejected.v1", Topic.BACKUP_EVENTS, CommandRejected.class);

    // deploys: commands not carried out yet
    public static final List<MessageType<JsonNode>> DEPLOY_COMMANDS = List.of(
            command("org.wharf.deploy.deploy.v1", Topic.DEPLOY_COMMANDS),
            command("org.wharf.deploy.rollback.v1", Topic.DEPLOY_COMMANDS));
    public static final MessageType<CommandRejected> DEPLOY_COMMAND_REJECTED =
            new MessageType<>("org.wharf.deploy.command-rejected.v1", Topic.DEPLOY_EVENTS, CommandRejected.class);

    // schedules: commands not carried out yet
    public static final List<MessageType<JsonNode>> SCHEDULER_COMMANDS = List.of(
            command("org.wharf.scheduler.create-schedule.v1", Topic.SCHEDULER_COMMANDS),
            command("org.wharf.scheduler.update-schedule.v1", Topic.SCHEDULER_COMMANDS),
            command("org.wharf.scheduler.pause-schedule.v1", Topic.SCHEDULER_COMMANDS),
            command("org.wharf.scheduler.resume-schedule.v1", Topic.SCHEDULER_COMMANDS),
            command("org.wharf.scheduler.delete-schedule.v1", Topic.SCHEDULER_COMMANDS),
            command("org.wharf.scheduler.run-schedule.v1", Topic.SCHEDULER_COMMANDS),
            command("org.wharf.scheduler.schedule-once.v1", Topic.SCHEDULER_COMMANDS));
    public static final MessageType<CommandRejected> SCHEDULER_COMMAND_REJECTED =
            new MessageType<>("org.wharf.scheduler.command-rejected.v1", Topic.SCHEDULER_EVENTS, CommandRejected.class);

    private Messages() {
    }

    private static MessageType<JsonNode> command(String type, Topic topic) {
        return new MessageType<>(type, topic, JsonNode.class);
    }
}
