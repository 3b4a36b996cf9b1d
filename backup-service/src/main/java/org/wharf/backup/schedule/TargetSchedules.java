package org.wharf.backup.schedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.backup.target.BackupTargets;
import org.wharf.backup.target.BackupTargets.Target;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.outbox.Outbox;

import tools.jackson.databind.JsonNode;

/**
 * The targets' schedules, from configuration, kept in the scheduler: {@code backup-<target>} fires
 * RunBackup on the target's {@code schedule}, {@code verify-<target>} fires VerifyBackup on its
 * {@code verify-schedule} (weekly unless {@code off}). At start-up, what differs from what was last sent
 * is sent (CreateSchedule, UpdateSchedule, DeleteSchedule for a schedule taken out of the configuration):
 * a restart with the same configuration sends nothing, so a schedule an operator paused stays paused.
 */
@Component
public class TargetSchedules {

    private static final Logger log = LoggerFactory.getLogger(TargetSchedules.class);
    private static final String ACTOR = "backup-service";

    private final BackupTargets targets;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Outbox outbox;

    public TargetSchedules(BackupTargets targets, JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox) {
        this.targets = targets;
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void sendChanges() {
        Map<String, ScheduleDefinition> wanted = wanted();
        tx.executeWithoutResult(status -> {
            jdbc.execute("lock table configured_schedule in exclusive mode"); // replicas starting together send once
            Map<String, JsonNode> sent = new LinkedHashMap<>();
            jdbc.query("select name, definition::text from configured_schedule",
                    rs -> { sent.put(rs.getString(1), WharfJson.MAPPER.readTree(rs.getString(2))); });
            wanted.forEach((name, definition) -> {
                JsonNode json = WharfJson.MAPPER.valueToTree(definition);
                if (!sent.containsKey(name)) {
                    send(Messages.CREATE_SCHEDULE, name, definition);
                    jdbc.update("insert into configured_schedule (name, definition) values (?, ?::jsonb)", name, json.toString());
                } else if (!Objects.equals(sent.get(name), json)) {
                    send(Messages.UPDATE_SCHEDULE, name, definition);
                    jdbc.update("update configured_schedule set definition = ?::jsonb where name = ?", json.toString(), name);
                }
            });
            sent.keySet().stream().filter(name -> !wanted.containsKey(name)).forEach(name -> {
                send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name));
                jdbc.update("delete from configured_schedule where name = ?", name);
            });
        });
    }

    private <T> void send(MessageType<T> type, String name, T payload) {
        outbox.appendFirst(type, name, payload, ACTOR);
        log.info("{} {}", type.type().replace("org.wharf.scheduler.", "").replace(".v1", ""), name);
    }

    /** What the configuration asks for, by schedule name. */
    Map<String, ScheduleDefinition> wanted() {
        Map<String, ScheduleDefinition> wanted = new LinkedHashMap<>();
        targets.getTargets().forEach((name, target) -> {
            if (target.getSchedule() != null) {
                wanted.put("backup-" + name, definition("backup-" + name, target.getSchedule(), target,
                        Messages.RUN_BACKUP, name, new RunBackup(name)));
            }
            if (!target.getVerifySchedule().equals("off")) {
                wanted.put("verify-" + name, definition("verify-" + name, target.getVerifySchedule(), target,
                        Messages.VERIFY_BACKUP, name, new VerifyBackup(name, null)));
            }
        });
        return wanted;
    }

    private static <T> ScheduleDefinition definition(String name, String expression, Target target, MessageType<T> type,
                                                     String key, T command) {
        // forbid: a backup (or verification) still running when the next is due is not started twice.
        return new ScheduleDefinition(name, expression, target.getScheduleZone(), ScheduledCommand.of(type, key, command),
                "fire-once", null, "forbid", null, null);
    }
}
