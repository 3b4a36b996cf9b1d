package org.wharf.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wharf.cli.Wharf;
import org.wharf.cli.support.CatalogTopics;
import org.wharf.cli.support.Connection;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.infra.LocalInfrastructure;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;

/**
 * {@code wharf audit tail --follow --key K} keeps up with 1,000 records a second: 5,000 records of one
 * key published at that pace to the shared broker's {@code wharf.audit} while the command follows on a
 * thread of the test; every one is printed exactly once, in order. The rate and the lag (a record's
 * {@code ce_time} to its line) are printed, not asserted: this machine is shared.
 */
class FollowKeepsUpTest {

    private static final int RECORDS = 5_000;
    private static final int PER_SECOND = 1_000;
    private static final Pattern SEQ = Pattern.compile("  \\{\"seq\":(\\d+)}  correlation=");

    private static Path home;
    private static String bootstrapServers;

    @BeforeAll
    static void connect() throws Exception {
        LocalInfrastructure infrastructure = SharedInfrastructure.get();
        bootstrapServers = infrastructure.bootstrapServers();
        CatalogTopics.create(bootstrapServers);
        home = Files.createTempDirectory("wharf-home-");
        new Connection(bootstrapServers, infrastructure.s3(), LocalInfrastructure.DEPOSITS_BUCKET).write(home);
    }

    @Test
    void followPrintsEveryRecordOfTheKeyOnceAndInOrder() throws Exception {
        String key = "follow-" + UUID.randomUUID();
        TimedLines out = new TimedLines();
        AtomicInteger status = new AtomicInteger(-1);
        StringWriter err = new StringWriter();
        Thread follower = new Thread(() -> status.set(Wharf.execute(
                new String[] {"audit", "tail", "--follow", "--since", "1m", "--key", key, "--wide"},
                Map.of("WHARF_HOME", home.toString(), "USER", "alice"), new PrintWriter(out), new PrintWriter(err, true))),
                "audit-follower");
        follower.start();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // A first record, sent until it is printed: the command is following before the measured ones start.
            long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.count() == 0 && System.nanoTime() < waitUntil) {
                producer.send(KafkaBinding.toRecord(Topic.AUDIT.topicName(), key, record(key, "{\"ready\":true}")));
                Thread.sleep(200);
            }
            assertThat(out.count()).as("the command printed the first record; stderr: %s", err).isPositive();
            int ready = out.count();

            long start = System.nanoTime();
            Instant startedAt = Instant.now();
            for (int seq = 0; seq < RECORDS; seq++) {
                // Paced on the clock, not by sleeps added up: record n leaves at start + n ms.
                long due = start + seq * 1_000_000_000L / PER_SECOND;
                long early = due - System.nanoTime();
                if (early > 0) {
                    Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
                }
                producer.send(KafkaBinding.toRecord(Topic.AUDIT.topicName(), key, record(key, "{\"seq\":" + seq + "}")));
            }
            producer.flush();
            double sendSeconds = (System.nanoTime() - start) / 1e9;

            long bound = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (out.count() < ready + RECORDS && System.nanoTime() < bound) {
                Thread.sleep(50);
            }
            follower.interrupt();
            follower.join(Duration.ofSeconds(30).toMillis());
            assertThat(follower.isAlive()).as("the follower stopped when interrupted").isFalse();
            assertThat(status.get()).as(err.toString()).isZero();

            List<Integer> seqs = new ArrayList<>();
            List<Long> lagsMillis = new ArrayList<>();
            Instant lastPrinted = startedAt;
            for (TimedLine line : out.lines()) {
                Matcher m = SEQ.matcher(line.text());
                if (m.find()) {
                    seqs.add(Integer.parseInt(m.group(1)));
                    Instant time = Instant.parse(line.text().substring(0, line.text().indexOf(' ')));
                    lagsMillis.add(Duration.between(time, line.at()).toMillis());
                    lastPrinted = line.at();
                }
            }
            assertThat(seqs).as("every record printed exactly once, in order").hasSize(RECORDS)
                    .isEqualTo(IntStream.range(0, RECORDS).boxed().toList());

            List<Long> sorted = lagsMillis.stream().sorted().toList();
            double followSeconds = Duration.between(startedAt, lastPrinted).toMillis() / 1e3;
            System.out.printf("audit tail --follow: %d records sent in %.2f s (%.0f/s); printed by %.2f s (%.0f/s sustained); "
                            + "lag p50 %d ms, p99 %d ms, max %d ms%n", RECORDS, sendSeconds, RECORDS / sendSeconds,
                    followSeconds, RECORDS / followSeconds, sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() * 99 / 100), sorted.get(sorted.size() - 1));
        } finally {
            follower.interrupt();
            follower.join(Duration.ofSeconds(30).toMillis());
        }
    }

    private static Envelope record(String key, String payload) {
        return Envelope.first("/test", "org.wharf.test.follow.v1", key, "bench", payload.getBytes());
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }

    record TimedLine(String text, Instant at) {
    }

    /** The command's standard output, line by line, each with the instant it was written. */
    static final class TimedLines extends Writer {

        private final StringBuilder partial = new StringBuilder();
        private final List<TimedLine> lines = new ArrayList<>();

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] == '\n') {
                    lines.add(new TimedLine(partial.toString(), Instant.now()));
                    partial.setLength(0);
                } else {
                    partial.append(buffer[i]);
                }
            }
        }

        synchronized int count() {
            return lines.size();
        }

        synchronized List<TimedLine> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
