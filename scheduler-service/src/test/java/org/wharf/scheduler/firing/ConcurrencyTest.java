package org.wharf.scheduler.firing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.scheduler.SchedulerTestSupport.answer;
import static org.wharf.scheduler.SchedulerTestSupport.command;
import static org.wharf.scheduler.SchedulerTestSupport.events;
import static org.wharf.scheduler.SchedulerTestSupport.fired;

import java.nio.charset.StandardCharsets;
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
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduleMissed;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;
import org.wharf.scheduler.SchedulerTestSupport;

/**
 * Concurrency {@code forbid}: while the job a fire started has not ended (no event the catalog declares
 * an end of a deploy, with its correlation id, on the deploy events), due times are skipped; once it
 * ends, the schedule fires again.
 * The test plays the deploy-service, which does not run here.
 */
class ConcurrencyTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void forbidSkipsFiresUntilThePreviousJobEnds() throws Exception {
        String name = "forbid-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext scheduler = SchedulerTestSupport.start(null, Map.of())) {
            answer(kafka, kafka.send(Messages.CREATE_SCHEDULE, name, new ScheduleDefinition(name, "@every 1s", null,
                    command(name), null, null, "forbid", null, null)));
            kafka.await(SchedulerTestSupport.TARGET_TOPIC, KafkaTestClient.withKey(name), 1, Duration.ofSeconds(30));
            Thread.sleep(2500);
            List<Envelope> commands = fired(kafka, name, Duration.ofMillis(200));
            assertThat(commands).as("no second run while the first one runs").hasSize(1);
            Envelope job = commands.get(0);
            List<Envelope> missed = events(kafka, name, Messages.SCHEDULE_MISSED.type(), Duration.ofMillis(200));
            assertThat(missed).isNotEmpty();
            ScheduleMissed reason = Messages.SCHEDULE_MISSED.read(missed.get(0));
            assertThat(reason.reason()).isEqualTo("previous run still running (job " + job.correlationId() + ")");
            Envelope runNow = answer(kafka, kafka.send(Messages.RUN_SCHEDULE, name, new ScheduleRef(name)));
            assertThat(runNow.type()).as("run now is refused too").isEqualTo(Messages.SCHEDULER_COMMAND_REJECTED.type());

            // An event that does not end the job changes nothing; the one that does lets the schedule fire again.
            kafka.send(Topic.DEPLOY_EVENTS.topicName(), name, deployEvent("org.wharf.deploy.step-finished.v1", job));
            Thread.sleep(2000);
            assertThat(fired(kafka, name, Duration.ofMillis(200))).hasSize(1);
            kafka.send(Topic.DEPLOY_EVENTS.topicName(), name, deployEvent(Messages.DEPLOY_COMMAND_REJECTED.type(), job));
            kafka.await(SchedulerTestSupport.TARGET_TOPIC, KafkaTestClient.withKey(name), 2, Duration.ofSeconds(30));
            answer(kafka, kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name)));
        }
    }

    private static Envelope deployEvent(String type, Envelope job) {
        return new Envelope(Envelope.newId(), "/wharf/deploy-service", type, Instant.now(), job.subject(), job.correlationId(),
                job.id(), "scheduler", null, "{}".getBytes(StandardCharsets.UTF_8));
    }
}
