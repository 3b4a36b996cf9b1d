package org.wharf.common.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.LoadDeposit;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;

/**
 * A consumer of long jobs takes one record per poll: three queued jobs that together outlast
 * max.poll.interval.ms run once each, with no rebalance handing them to the group again. A job whose
 * record key is not the aggregate its payload names is refused, not run.
 */
class LongJobsTest {

    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    private static final KafkaTestClient kafka = KafkaTestClient.shared();
    private static ConfigurableApplicationContext service;

    @SpringBootApplication
    static class LongJobsTestApplication {
        /** A job of 2.5 s: three of them take longer than the 5 s the broker allows between polls. */
        @Bean
        Subscriptions subscriptions() {
            return Subscriptions.builder().on(Messages.LOAD_DEPOSIT, delivery -> {
                RUNS.computeIfAbsent(delivery.payload().depositId(), id -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(2500);
                delivery.handleOnce(() -> { });
            }).build();
        }
    }

    @BeforeAll
    static void start() {
        service = SharedInfrastructure.startService(LongJobsTestApplication.class, "long-jobs-test", "longjobstest", Map.of(
                "spring.kafka.consumer.max-poll-records", "1",
                "spring.kafka.consumer.properties[max.poll.interval.ms]", "5000"));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        kafka.close();
    }

    @Test
    void threeQueuedJobsLongerTogetherThanThePollIntervalRunOnceEach() throws InterruptedException {
        String prefix = "long-" + UUID.randomUUID();
        List<String> jobs = List.of(prefix + "-1", prefix + "-2", prefix + "-3");
        for (String job : jobs) { // sent at once: they queue behind each other
            kafka.send(Messages.LOAD_DEPOSIT, job, new LoadDeposit(job));
        }
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!jobs.stream().allMatch(RUNS::containsKey) && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(RUNS.keySet()).containsAll(jobs);
        Thread.sleep(8000); // a rebalance after a poll interval overrun would hand a job to the group again
        for (String job : jobs) {
            assertThat(RUNS.get(job).get()).as("runs of %s", job).isEqualTo(1);
        }
    }

    @Test
    void aCommandWhoseKeyIsNotItsPayloadsAggregateIsRefusedAndNotRun() throws InterruptedException {
        String named = "named-" + UUID.randomUUID();
        Envelope command = kafka.send(Messages.LOAD_DEPOSIT, "another-deposit", new LoadDeposit(named));
        List<ConsumerRecord<String, byte[]>> answers = kafka.await(Messages.LOADER_COMMAND_REJECTED.topic().topicName(),
                record -> command.id().equals(KafkaTestClient.envelope(record).causationId()), 1, Duration.ofSeconds(60));
        CommandRejected rejected = Messages.LOADER_COMMAND_REJECTED.read(KafkaTestClient.envelope(answers.get(0)));
        assertThat(rejected.reason()).isEqualTo("the record key 'another-deposit' disagrees with the payload's '" + named + "'");
        assertThat(RUNS).doesNotContainKey(named);
    }
}
