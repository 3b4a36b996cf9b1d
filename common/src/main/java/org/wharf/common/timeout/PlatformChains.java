package org.wharf.common.timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.wharf.common.message.CommandDeadlines;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;

/**
 * The timeout chains that configuration implies, read as the services read it: a consumer that runs
 * one long job per poll must be allowed ({@code max.poll.interval.ms}) longer than that job's deadline,
 * or the broker takes its partitions away mid-job and the job runs twice.
 */
public final class PlatformChains {

    /** Kafka's default {@code max.poll.interval.ms}. */
    public static final Duration KAFKA_DEFAULT_MAX_POLL_INTERVAL = Duration.ofMillis(300_000);

    /** The services that run long jobs, one record per poll, and the commands they run. */
    private static final Map<String, List<MessageType<?>>> LONG_JOBS = new java.util.LinkedHashMap<>();

    static {
        LONG_JOBS.put("loader-service", List.of(Messages.LOAD_DEPOSIT));
        LONG_JOBS.put("backup-service", List.of(Messages.RUN_BACKUP, Messages.VERIFY_BACKUP, Messages.RESTORE_BACKUP));
    }

    /** The services that run long jobs, in the order they are reported. */
    public static final List<String> LONG_JOB_SERVICES = List.copyOf(LONG_JOBS.keySet());

    private PlatformChains() {
    }

    /** The consumer chain of {@code service} (one of the long-job services), from its configuration. */
    public static TimeoutChain consumer(String service, Binder binder) {
        List<MessageType<?>> commands = LONG_JOBS.get(service);
        if (commands == null) {
            throw new IllegalArgumentException(service + " does not run long jobs");
        }
        CommandDeadlines deadlines = ConfiguredDeadlines.from(binder);
        MessageType<?> longest = commands.stream()
                .max(java.util.Comparator.comparing((MessageType<?> t) -> deadlines.of(t.type()))).orElseThrow();
        String name = CommandDeadlines.nameOf(longest.type());
        return new TimeoutChain(service + ".consumer", service, "Kafka group coordinator", "max.poll.interval.ms",
                maxPollInterval(binder), List.of(new TimeoutLink(name + " deadline", service, name, 0, deadlines.of(longest.type()))));
    }

    /** What a service checked at start-up: its chains, all holding. */
    public record Checked(List<TimeoutChain> chains) {
    }

    /**
     * Checks {@code service}'s chains; throws {@link TimeoutChain.TimeoutChainException}, whose message is
     * the chain's one line, for the first that does not hold.
     */
    public static Checked check(String service, Binder binder) {
        List<TimeoutChain> chains = LONG_JOBS.containsKey(service) ? List.of(consumer(service, binder)) : List.of();
        chains.forEach(TimeoutChain::check);
        return new Checked(chains);
    }

    /** {@code spring.kafka.consumer.properties[max.poll.interval.ms]}, else Kafka's default. */
    public static Duration maxPollInterval(Binder binder) {
        Map<String, String> properties = binder.bind("spring.kafka.consumer.properties",
                Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        String value = properties.get("max.poll.interval.ms");
        if (value == null) {
            return KAFKA_DEFAULT_MAX_POLL_INTERVAL;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return DurationStyle.detectAndParse(value.trim());
        }
    }
}
