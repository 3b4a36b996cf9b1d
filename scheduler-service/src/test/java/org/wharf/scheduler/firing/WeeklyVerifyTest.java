package org.wharf.scheduler.firing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.scheduler.SchedulerTestSupport.answer;
import static org.wharf.scheduler.SchedulerTestSupport.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.backup.VerifyBackup;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleMissed;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;
import org.wharf.scheduler.SchedulerTestSupport;
import org.wharf.scheduler.SchedulerTestSupport.MutableClock;

/**
 * The weekly verification with concurrency {@code forbid}, weeks passed with an injected clock: a
 * BackupVerified (the catalog's end of a VerifyBackup) lets the next week fire; a job that never ends
 * is released after its job timeout, with a ScheduleMissed saying so, and the next week fires too. The
 * test plays the backup-service, which does not run here.
 */
class WeeklyVerifyTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    /** Sundays, 00:00 UTC: when @weekly is due. */
    private static final Instant WEEK_1 = Instant.parse("2031-01-05T00:00:00Z");
    private static final Instant WEEK_2 = Instant.parse("2031-01-12T00:00:00Z");

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aVerifiedBackupEndsTheJobSoTheNextWeekFires() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2031-01-01T12:00:00Z"));
        String name = "verify-sample";
        try (ConfigurableApplicationContext scheduler = SchedulerTestSupport.start(clock, Map.of())) {
            create(name, "sample", null);

            clock.set(WEEK_1.plusMillis(500));
            Envelope week1 = awaitFired("sample", 1).get(0);
            assertThat(week1.type()).isEqualTo(Messages.VERIFY_BACKUP.type());
            assertThat(week1.time()).isEqualTo(WEEK_1);
            kafka.send(Topic.BACKUP_EVENTS.topicName(), "sample", Envelope.causedBy(week1, "/wharf/backup-service",
                    Messages.BACKUP_VERIFIED.type(), "sample",
                    Messages.BACKUP_VERIFIED.write(new BackupVerified("sample", "b1", "backup/sample/b1", null, Map.of()))));
            Thread.sleep(1000); // the scheduler sees the end

            clock.set(WEEK_2.plusMillis(500));
            List<Envelope> fired = awaitFired("sample", 2);
            assertThat(fired.get(1).time()).as("week 2 fires: the verification of week 1 ended").isEqualTo(WEEK_2);
            assertThat(events(kafka, name, Messages.SCHEDULE_MISSED.type(), Duration.ofMillis(200))).isEmpty();
            answer(kafka, kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name)));
        }
    }

    @Test
    void aJobWithNoAnswerIsReleasedAfterItsTimeoutAndTheNextWeekFires() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2031-01-01T12:00:00Z"));
        String id = UUID.randomUUID().toString().substring(0, 8);
        String own = "verify-own-" + id;
        String byDeadline = "verify-deadline-" + id;
        // The default job timeout is the command's deadline, configured here as 3h (the built-in one is 2h).
        try (ConfigurableApplicationContext scheduler = SchedulerTestSupport.start(clock,
                Map.of("wharf.deadlines[backup.verify-backup]", "3h"))) {
            create(own, own, 3600L);
            create(byDeadline, byDeadline, null);
            clock.set(WEEK_1.plusMillis(500));
            Envelope ownJob = awaitFired(own, 1).get(0);
            Envelope deadlineJob = awaitFired(byDeadline, 1).get(0);

            clock.set(WEEK_1.plus(Duration.ofHours(1)).plusMillis(500));
            ScheduleMissed released = Messages.SCHEDULE_MISSED.read(awaitMissed(own));
            assertThat(released.reason()).isEqualTo("previous run " + ownJob.correlationId() + " did not end within 1h: released");
            assertThat(released.dueAt()).isEqualTo(WEEK_1);
            assertThat(events(kafka, byDeadline, Messages.SCHEDULE_MISSED.type(), Duration.ofMillis(300)))
                    .as("its timeout, the command's deadline, has not passed").isEmpty();

            clock.set(WEEK_1.plus(Duration.ofHours(2)).plusMillis(500));
            assertThat(events(kafka, byDeadline, Messages.SCHEDULE_MISSED.type(), Duration.ofMillis(300)))
                    .as("the configured deadline, not the built-in one, is its timeout").isEmpty();
            clock.set(WEEK_1.plus(Duration.ofHours(3)).plusMillis(500));
            assertThat(Messages.SCHEDULE_MISSED.read(awaitMissed(byDeadline)).reason())
                    .isEqualTo("previous run " + deadlineJob.correlationId() + " did not end within 3h: released");

            clock.set(WEEK_2.plusMillis(500));
            assertThat(awaitFired(own, 2).get(1).time()).isEqualTo(WEEK_2);
            assertThat(awaitFired(byDeadline, 2).get(1).time()).isEqualTo(WEEK_2);
            assertThat(events(kafka, own, Messages.SCHEDULE_MISSED.type(), Duration.ofMillis(200)))
                    .as("week 2 was not skipped").hasSize(1);
            for (String name : List.of(own, byDeadline)) {
                answer(kafka, kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name)));
            }
        }
    }

    @Test
    void aJobTimeoutWithoutForbidIsRefused() {
        String name = "verify-allow-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext scheduler = SchedulerTestSupport.start(null, Map.of())) {
            Envelope answer = answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@weekly",
                    null, verify(name), null, null, "allow", null, null, 60L)));
            assertThat(answer.type()).isEqualTo(Messages.SCHEDULER_COMMAND_REJECTED.type());
            assertThat(new String(answer.data())).contains("a job timeout applies only to concurrency forbid");
        }
    }

    private static void create(String name, String target, Long jobTimeoutSeconds) {
        Envelope answer = answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@weekly", "UTC",
                verify(target), null, null, "forbid", null, null, jobTimeoutSeconds)));
        assertThat(answer.type()).isEqualTo(Messages.SCHEDULE_CREATED.type());
        assertThat(Messages.SCHEDULE_CREATED.read(answer).jobTimeoutSeconds()).isEqualTo(jobTimeoutSeconds);
    }

    private static ScheduledCommand verify(String target) {
        return ScheduledCommand.of(Messages.VERIFY_BACKUP, target, new VerifyBackup(target, null));
    }

    private static List<Envelope> awaitFired(String target, int count) {
        return kafka.await(Topic.BACKUP_COMMANDS.topicName(), KafkaTestClient.withKey(target), count, Duration.ofSeconds(30))
                .stream().map(KafkaTestClient::envelope).toList();
    }

    private static Envelope awaitMissed(String name) {
        return KafkaTestClient.envelope(kafka.await(Topic.SCHEDULER_EVENTS.topicName(), KafkaTestClient.withKey(name)
                .and(r -> Messages.SCHEDULE_MISSED.is(KafkaTestClient.envelope(r))), 1,
                Duration.ofSeconds(30)).get(0));
    }
}
