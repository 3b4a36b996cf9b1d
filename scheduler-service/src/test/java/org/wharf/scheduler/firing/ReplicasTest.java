package org.wharf.scheduler.firing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wharf.scheduler.SchedulerTestSupport.answer;
import static org.wharf.scheduler.SchedulerTestSupport.definition;
import static org.wharf.scheduler.SchedulerTestSupport.fired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.schedule.Schedule;
import org.wharf.common.message.schedule.ScheduleRef;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.ServiceProcess;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.scheduler.SchedulerApplication;
import org.wharf.scheduler.SchedulerTestSupport;

/**
 * Three scheduler replicas on one {@code @every 1s} schedule: each second fires exactly once. One
 * replica is a process of its own and is killed ({@code kill -9}) in the middle, another is stopped:
 * no second is lost and none fires twice (Celery beat, run twice, fires twice). Counted as a consumer
 * counts them, by {@code ce_id}: the outbox may deliver a record twice, never fire a due time twice.
 */
class ReplicasTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @TempDir
    Path work;

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void everySecondFiresOnceWhateverHappensToTheReplicas() throws Exception {
        Map<String, Object> properties = new HashMap<>(SharedInfrastructure.get().serviceProperties("scheduler"));
        properties.put("wharf.scheduler.poll-interval", "100ms");
        properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        Path log = work.resolve("replica.log");
        Process killed = ServiceProcess.start(SchedulerApplication.class, SchedulerApplication.SERVICE_NAME, properties, 256, log, null);
        ConfigurableApplicationContext stopped = SchedulerTestSupport.start(null, Map.of());
        ConfigurableApplicationContext survivor = SchedulerTestSupport.start(null, Map.of());
        String name = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            ServiceProcess.awaitStarted(killed, log, Duration.ofSeconds(90));
            Schedule schedule = Messages.SCHEDULE_CREATED.read(answer(kafka,
                    kafka.send(Messages.CREATE_SCHEDULE, name, definition(name, "@every 1s", name))));
            Thread.sleep(6_000);
            killed.destroyForcibly(); // kill -9, at whatever point it was
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(4_000);
            stopped.close();
            Thread.sleep(4_000);
            Instant until = Instant.now();
            answer(kafka, kafka.send(Messages.PAUSE_SCHEDULE, name, new ScheduleRef(name)));

            // One command per ce_id (the relay of the killed replica may have sent its last batch again):
            // a due time fired twice would show as two ids with one ce_time.
            List<Instant> dueTimes = fired(kafka, name, Duration.ofSeconds(1)).stream().map(Envelope::time).sorted().toList();
            assertThat(dueTimes).as("no due time fired twice (two commands, two ids)").doesNotHaveDuplicates();
            List<Instant> expected = new ArrayList<>();
            for (Instant t = schedule.nextFireAt(); !t.isAfter(dueTimes.get(dueTimes.size() - 1)); t = t.plusSeconds(1)) {
                expected.add(t);
            }
            assertThat(dueTimes).as("every second from the first fire to the last, none lost").isEqualTo(expected);
            long seconds = Duration.between(schedule.anchor(), until).toSeconds();
            assertThat((long) dueTimes.size()).as("fires in %d s", seconds).isBetween(seconds - 1, seconds + 1);
            String childOutput = Files.readString(log);
            assertThat(childOutput).as("the killed replica was running").contains("Started");
        } finally {
            killed.destroyForcibly();
            survivor.close();
            if (stopped.isActive()) {
                stopped.close();
            }
            kafka.send(Messages.DELETE_SCHEDULE, name, new ScheduleRef(name));
        }
    }
}
