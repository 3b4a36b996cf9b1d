package org.wharf.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.PinBackup;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.client.CreateClient;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.topic.Topic;

/**
 * A command's hop on an idle local stack ({@code wharf local up}): from a Java client sending the command
 * to it reading the answer event the command caused, one command at a time. Three services' commands:
 * CreateSchedule → ScheduleCreated (scheduler), CreateClient → ClientCreated (checker), PinBackup →
 * BackupPinned (backup, on a backup of the sample target made first). Prints p50/p99/max of the whole
 * hop and where it goes: send (until the broker acknowledged the command), service (acknowledged → the
 * answer's own time, when the service appended it to its outbox in the transaction that handled the
 * command), relay+read (the answer's time → read by the client: outbox relay, broker, fetch). Goal: p50
 * ≤ 20 ms, p99 ≤ 100 ms. Usage: {@code HopBenchmark [workDir] [hops=500] [warmUps=100]}.
 */
public final class HopBenchmark {

    private record Hop(long totalMicros, long sendMicros, long serviceMicros, long relayMicros) {
    }

    private record Kind<T>(String name, MessageType<T> command, MessageType<?> answer, Function<Integer, Keyed<T>> next) {
    }

    private record Keyed<T>(String key, T payload) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-hop").toAbsolutePath();
        int hops = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int warmUps = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Files.createDirectories(work);
        try (LocalStack stack = LocalStack.start(work); KafkaTestClient kafka = new KafkaTestClient(stack.bootstrap)) {
            String backupId = firstBackup(stack, kafka);
            String run = UUID.randomUUID().toString().substring(0, 8);
            List<Kind<?>> kinds = List.of(
                    new Kind<>("CreateSchedule → ScheduleCreated", Messages.CREATE_SCHEDULE, Messages.SCHEDULE_CREATED,
                            i -> new Keyed<>("hop-" + run + "-" + i, new ScheduleDefinition("hop-" + run + "-" + i, "@yearly", null,
                                    ScheduledCommand.of(Messages.RUN_BACKUP, "sample", new RunBackup("sample")), null, null, null, true, null))),
                    new Kind<>("CreateClient → ClientCreated", Messages.CREATE_CLIENT, Messages.CLIENT_CREATED,
                            i -> new Keyed<>("hop-" + run + "-" + i, new CreateClient("hop-" + run + "-" + i, "hop", "https://hop.example.org/"))),
                    new Kind<>("PinBackup → BackupPinned", Messages.PIN_BACKUP, Messages.BACKUP_PINNED,
                            i -> new Keyed<>("sample", new PinBackup("sample", backupId, i % 2 == 1))));
            System.out.printf("%d hops of each kind, one at a time, after %d warm-ups (µs → ms)%n%n", hops, warmUps);
            System.out.printf("%-34s %8s %8s %8s %8s   %-26s %-26s %-26s%n", "hop", "p50", "p90", "p99", "max",
                    "send p50/p99", "service p50/p99", "relay+read p50/p99");
            for (Kind<?> kind : kinds) {
                List<Hop> measured = measure(stack, kafka, kind, warmUps, hops);
                System.out.printf("%-34s %8.1f %8.1f %8.1f %8.1f   %-26s %-26s %-26s%n", kind.name(),
                        ms(pct(measured, Hop::totalMicros, 50)), ms(pct(measured, Hop::totalMicros, 90)),
                        ms(pct(measured, Hop::totalMicros, 99)), ms(pct(measured, Hop::totalMicros, 100)),
                        pair(measured, Hop::sendMicros), pair(measured, Hop::serviceMicros), pair(measured, Hop::relayMicros));
            }
        }
    }

    private static <T> List<Hop> measure(LocalStack stack, KafkaTestClient kafka, Kind<T> kind, int warmUps, int hops) throws Exception {
        List<Hop> measured = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> answers = TopicTail.atEnd(stack.bootstrap, kind.answer().topic().topicName(), "service")) {
            for (int i = 0; i < warmUps + hops; i++) {
                Keyed<T> next = kind.next().apply(i);
                long start = System.nanoTime();
                Envelope sent = kafka.send(kind.command(), next.key(), next.payload());
                long acked = System.nanoTime();
                Envelope answer = null;
                long read = 0;
                long deadline = start + Duration.ofSeconds(30).toNanos();
                while (answer == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(kind.name() + ": no answer to " + sent.id() + " within 30 s");
                    }
                    for (ConsumerRecord<String, byte[]> record : answers.poll(Duration.ofMillis(100))) {
                        Envelope e = KafkaTestClient.envelope(record);
                        if (sent.id().equals(e.causationId())) {
                            if (!e.type().equals(kind.answer().type())) {
                                throw new IllegalStateException(kind.name() + ": answered " + e.type() + ": " + new String(e.data()));
                            }
                            answer = e;
                            read = System.nanoTime();
                        }
                    }
                }
                if (i >= warmUps) {
                    Instant ackedAt = sent.time().plusNanos(acked - start);
                    long service = Math.max(0, Duration.between(ackedAt, answer.time()).toNanos() / 1000);
                    long total = (read - start) / 1000;
                    measured.add(new Hop(total, (acked - start) / 1000, service, Math.max(0, total - (acked - start) / 1000 - service)));
                }
                Thread.sleep(10); // one at a time, on an idle stack
            }
        }
        return measured;
    }

    /** A backup of the sample target, for PinBackup to pin: its id. */
    private static String firstBackup(LocalStack stack, KafkaTestClient kafka) {
        try (KafkaConsumer<String, byte[]> events = TopicTail.atEnd(stack.bootstrap, Topic.BACKUP_EVENTS.topicName(), "backup-service")) {
            Envelope sent = kafka.send(Messages.RUN_BACKUP, "sample", new RunBackup("sample"));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(200))) {
                    Envelope e = KafkaTestClient.envelope(record);
                    if (sent.correlationId().equals(e.correlationId()) && Messages.BACKUP_COMPLETED.is(e)) {
                        return Messages.BACKUP_COMPLETED.read(e).backupId();
                    }
                    if (sent.correlationId().equals(e.correlationId()) && Messages.BACKUP_FAILED.is(e)) {
                        throw new IllegalStateException("the sample backup failed: " + new String(e.data()));
                    }
                }
            }
            throw new IllegalStateException("the sample backup did not complete within 2 minutes");
        }
    }

    private static long pct(List<Hop> hops, Function<Hop, Long> part, int percentile) {
        return Percentiles.percentile(hops.stream().map(part).toList(), percentile);
    }

    private static String pair(List<Hop> hops, Function<Hop, Long> part) {
        return String.format("%.1f / %.1f", ms(pct(hops, part, 50)), ms(pct(hops, part, 99)));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
