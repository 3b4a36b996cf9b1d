package org.wharf.common.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.logging.RecordContext;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.outbox.Outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts the jobs a service ends, by the type of the record that started the job and the type of the
 * event that ended it ({@code wharf_jobs_ended_total{type, outcome}}), and times them from the starting
 * record's {@code ce_time} to the commit of the end ({@code wharf_jobs_duration_seconds}). A job end is
 * an event the catalog declares as an end of the command being handled ({@link Messages#jobEnds}), or
 * an end of one of the deposit's two jobs, which events start: checking a received deposit, loading a
 * verified one. Counted once committed, so a rolled-back end counts nothing.
 */
public final class JobMetrics implements Outbox.AppendObserver {

    public static final String ENDED = "wharf.jobs.ended";
    public static final String DURATION = "wharf.jobs.duration";

    private static final Map<String, Set<String>> DEPOSIT_JOBS = Map.of(
            Messages.DEPOSIT_RECEIVED.type(), Set.of(Messages.DEPOSIT_VERIFIED.type(), Messages.DEPOSIT_REJECTED.type()),
            Messages.DEPOSIT_VERIFIED.type(), Set.of(Messages.DEPOSIT_LOADED.type(), Messages.DEPOSIT_LOAD_FAILED.type()));

    /** The ends of every job, by the type that starts it: worked out once, not on every append. */
    private static final Map<String, Set<String>> ENDS = allEnds();

    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The end events of the job a record of {@code type} starts; empty when it starts none. */
    static Set<String> endsOf(String type) {
        return ENDS.getOrDefault(type, Set.of());
    }

    private static Map<String, Set<String>> allEnds() {
        Map<String, Set<String>> ends = new HashMap<>();
        for (MessageType<?> type : Messages.all()) {
            Set<String> of = Messages.jobEnds(type.type()).stream().map(MessageType::type).collect(Collectors.toUnmodifiableSet());
            if (!of.isEmpty()) {
                ends.put(type.type(), of);
            }
        }
        ends.putAll(DEPOSIT_JOBS);
        return Map.copyOf(ends);
    }

    @Override
    public void appended(List<Outbox.Pending> records) {
        Envelope job = RecordContext.current();
        if (job == null) {
            return;
        }
        Set<String> ends = endsOf(job.type());
        for (Outbox.Pending record : records) {
            String outcome = record.envelope().type();
            if (ends.contains(outcome) && !record.envelope().id().equals(job.id())) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        ended(job, outcome);
                    }
                });
            }
        }
    }

    private void ended(Envelope job, String outcome) {
        Counter.builder(ENDED).description("Jobs ended, by the type of the record that started them and the event that ended them")
                .tag("type", job.type()).tag("outcome", outcome).register(registry).increment();
        Duration took = Duration.between(job.time(), Instant.now());
        Timer.builder(DURATION).description("From the record that started a job (its ce_time) to the commit of its end")
                .tag("type", job.type()).tag("outcome", outcome).register(registry)
                .record(took.isNegative() ? Duration.ZERO : took);
    }
}
