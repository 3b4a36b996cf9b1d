package org.wharf.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.scheduler.SchedulerTestSupport.answer;
import static org.wharf.scheduler.SchedulerTestSupport.command;
import static org.wharf.scheduler.SchedulerTestSupport.definition;
import static org.wharf.scheduler.SchedulerTestSupport.events;
import static org.wharf.scheduler.SchedulerTestSupport.fired;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleFired;
import org.wharf.common.message.schedule.ScheduleOnce;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;
import org.wharf.scheduler.SchedulerTestSupport;

/** Every schedule command against a real scheduler, broker and PostgreSQL: its answer, and what it fires. */
class ScheduleCommandsTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static ConfigurableApplicationContext scheduler;

    @BeforeAll
    static void start() {
        scheduler = SchedulerTestSupport.start(null, Map.of());
    }

    @AfterAll
    static void stop() {
        scheduler.close();
        kafka.close();
    }

    @Test
    void aCreatedScheduleFiresItsCommandAsTheSchedulerWithItsDueTime() {
        String name = unique("every-second");
        Envelope create = kafka.send(Messages.CREATE_SCHEDULE, name, definition(name, "@every 1s", name));
        Envelope created = answer(kafka, create);
        assertThat(created.type()).isEqualTo(Messages.SCHEDULE_CREATED.type());
        Schedule schedule = Messages.SCHEDULE_CREATED.read(created);
        assertThat(schedule.zone()).isEqualTo("UTC");
        assertThat(schedule.missedRunPolicy()).isEqualTo("fire-once");
        assertThat(schedule.nextFireAt()).isEqualTo(schedule.anchor().plusSeconds(1));

        List<Envelope> commands = awaitFired(name, 2);
        Envelope first = commands.get(0);
        assertThat(first.type()).isEqualTo(SchedulerTestSupport.TARGET_TYPE);
        assertThat(first.actor()).isEqualTo("scheduler");
        assertThat(first.correlationId()).as("a correlation of its own").isEqualTo(first.id());
        assertThat(first.time()).as("ce_time is the due time").isEqualTo(schedule.nextFireAt());
        assertThat(WharfJson.MAPPER.readTree(first.data()).get("environment").asString()).isEqualTo(name);
        List<Envelope> firedEvents = events(kafka, name, Messages.SCHEDULE_FIRED.type(), Duration.ofMillis(500));
        ScheduleFired event = Messages.SCHEDULE_FIRED.read(firedEvents.get(0));
        assertThat(event.commandId()).isEqualTo(first.id());
        assertThat(event.dueAt()).isEqualTo(first.time());
        assertThat(event.manual()).isFalse();
        delete(name);
    }

    @Test
    void badDefinitionsAreRefusedWithTheirReasons() {
        String name = unique("bad");
        assertRejected(kafka.send(Messages.CREATE_SCHEDULE, name, definition(name, "0 2 * *", name)), "has 4 fields");
        assertRejected(kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@daily", "Mars/Olympus",
                command(name), null, null, null, null, null)), "Mars/Olympus");
        assertRejected(kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@daily", null,
                new ScheduledCommand(Topic.LOADER_EVENTS.topicName(), "org.wharf.deposit.loaded.v1", "x",
                        WharfJson.MAPPER.readTree("{}")), null, null, null, null, null)), "not a commands topic");
        assertRejected(kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@daily", null, command(name),
                "sometimes", null, "maybe", null, null)), "missed-run policy 'sometimes'");
        assertRejected(kafka.send(Messages.PAUSE_SCHEDULE, name, new ScheduleRef(name)), "no schedule named " + name);
        assertRejected(kafka.send(Messages.RUN_SCHEDULE, name, new ScheduleRef(name)), "no schedule named " + name);

        assertThat(answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, definition(name, "@daily", name))).type())
                .isEqualTo(Messages.SCHEDULE_CREATED.type());
        assertRejected(kafka.send(Messages.CREATE_SCHEDULE, name, definition(name, "@hourly", name)), "already exists");
        delete(name);
    }

    @Test
    void pauseStopsFiringResumeStartsAgainAndDeleteEndsIt() throws Exception {
        String name = unique("paused");
        answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, definition(name, "@every 1s", name)));
        awaitFired(name, 1);
        Envelope paused = answer(kafka, kafka.send(Messages.PAUSE_SCHEDULE, name, new ScheduleRef(name)));
        assertThat(Messages.SCHEDULE_PAUSED.read(paused).paused()).isTrue();
        int whenPaused = fired(kafka, name, Duration.ofMillis(1200)).size();
        Thread.sleep(2500);
        assertThat(fired(kafka, name, Duration.ofMillis(200))).as("no fire while paused").hasSize(whenPaused);

        Envelope resumed = answer(kafka, kafka.send(Messages.RESUME_SCHEDULE, name, new ScheduleRef(name)));
        assertThat(Messages.SCHEDULE_RESUMED.read(resumed).paused()).isFalse();
        awaitFired(name, whenPaused + 2);
        assertThat(events(kafka, name, Messages.SCHEDULE_MISSED.type(), Duration.ofMillis(200)))
                .as("what fell due while paused is not caught up").isEmpty();

        assertThat(answer(kafka, kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name))).type())
                .isEqualTo(Messages.SCHEDULE_DELETED.type());
        int whenDeleted = fired(kafka, name, Duration.ofMillis(1200)).size();
        Thread.sleep(2000);
        assertThat(fired(kafka, name, Duration.ofMillis(200))).as("no fire once deleted").hasSize(whenDeleted);
    }

    @Test
    void runNowFiresAPausedScheduleOnceWithoutMovingIt() {
        String name = unique("run-now");
        answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@yearly", "Europe/Paris",
                command(name), null, null, null, true, null)));
        Envelope run = kafka.send(Messages.RUN_SCHEDULE, name, new ScheduleRef(name));
        Envelope answer = answer(kafka, run);
        assertThat(answer.type()).isEqualTo(Messages.SCHEDULE_FIRED.type());
        ScheduleFired event = Messages.SCHEDULE_FIRED.read(answer);
        assertThat(event.manual()).isTrue();
        List<Envelope> commands = awaitFired(name, 1);
        assertThat(commands.get(0).id()).isEqualTo(event.commandId());
        assertThat(commands.get(0).causationId()).isEqualTo(run.id());
        assertThat(commands.get(0).actor()).isEqualTo("scheduler");
        delete(name);
    }

    @Test
    void scheduleOnceFiresOneCommandAtItsTimeInTheCorrelationOfWhoAsked() throws Exception {
        String key = unique("once");
        String correlation = UUID.randomUUID().toString();
        Instant at = Instant.now().plusSeconds(2);
        Envelope ask = Envelope.first("/test", Messages.SCHEDULE_ONCE.type(), key, "loader-service", correlation,
                Messages.SCHEDULE_ONCE.write(new ScheduleOnce(null, at, command(key))));
        kafka.send(Topic.SCHEDULER_COMMANDS.topicName(), key, ask);
        Schedule created = Messages.SCHEDULE_CREATED.read(answer(kafka, ask));
        assertThat(created.oneShot()).isTrue();
        assertThat(created.name()).startsWith("once-");

        Envelope fired = awaitFired(key, 1).get(0);
        assertThat(fired.correlationId()).isEqualTo(correlation);
        assertThat(fired.time()).isEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
        Thread.sleep(2000);
        assertThat(fired(kafka, key, Duration.ofMillis(200))).as("fired once only").hasSize(1);
    }

    private static void delete(String name) {
        answer(kafka, kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name)));
    }

    private static List<Envelope> awaitFired(String key, int count) {
        kafka.await(SchedulerTestSupport.TARGET_TOPIC, KafkaTestClient.withKey(key), count, Duration.ofSeconds(30));
        return fired(kafka, key, Duration.ofMillis(100));
    }

    private static void assertRejected(Envelope command, String reasonContains) {
        Envelope answer = answer(kafka, command);
        assertThat(answer.type()).isEqualTo(Messages.SCHEDULER_COMMAND_REJECTED.type());
        CommandRejected rejected = Messages.SCHEDULER_COMMAND_REJECTED.read(answer);
        assertThat(rejected.commandType()).isEqualTo(command.type());
        assertThat(rejected.reason()).contains(reasonContains);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
