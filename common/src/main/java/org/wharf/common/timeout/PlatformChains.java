package org.wharf.common.timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.wharf.common.message.CommandDeadlines;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.s3.S3Properties;

/**
 * The timeout chains that configuration implies, read as the services read it: a consumer that runs
 * one long job per poll must be allowed ({@code max.poll.interval.ms}) longer than that job's deadline,
 * or the broker takes its partitions away mid-job and the job runs twice; a backup's deadline must
 * outlast what one stuck step of it may wait (pg_dump's lock wait, one S3 request's attempts), or the
 * deadline, not the step, is what fails it, and the reason says nothing.
 */
public final class PlatformChains {

    /** pg_dump's {@code --lock-wait-timeout} unless {@code wharf.backup.lock-wait} or a target's {@code lock-wait} says otherwise. */
    public static final Duration DEFAULT_PG_DUMP_LOCK_WAIT = Duration.ofMinutes(10);

    /** Kafka's default {@code max.poll.interval.ms}. */
    public static final Duration KAFKA_DEFAULT_MAX_POLL_INTERVAL = Duration.ofMillis(300_000);

    /** The services that run long jobs, one record per poll, and the commands they run. */
    private static final Map<String, List<MessageType<?>>> LONG_JOBS = new LinkedHashMap<>();

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
                .max(Comparator.comparing((MessageType<?> t) -> deadlines.of(t.type()))).orElseThrow();
        String name = CommandDeadlines.nameOf(longest.type());
        return new TimeoutChain(service + ".consumer", service, "Kafka group coordinator", "max.poll.interval.ms",
                maxPollInterval(binder), List.of(new TimeoutLink(name + " deadline", service, name, 0, deadlines.of(longest.type()))));
    }

    /**
     * The backup-service's command chains, {@code backup-service.<command>}: each command's deadline must
     * exceed what one stuck step may wait — for a backup, pg_dump's lock wait (the longest a PostgreSQL
     * target is given) and then one S3 request's attempts, their timeouts and backoffs; for a verification
     * or a restore, one S3 request's.
     */
    public static List<TimeoutChain> backup(Binder binder) {
        String service = "backup-service";
        CommandDeadlines deadlines = ConfiguredDeadlines.from(binder);
        TimeoutLink s3 = s3(service, binder);
        List<TimeoutChain> chains = new ArrayList<>();
        for (MessageType<?> command : List.of(Messages.RUN_BACKUP, Messages.VERIFY_BACKUP, Messages.RESTORE_BACKUP)) {
            String name = CommandDeadlines.nameOf(command.type());
            boolean dumps = command == Messages.RUN_BACKUP;
            chains.add(new TimeoutChain(service + "." + name.substring("backup.".length()), service,
                    dumps ? "pg_dump, S3 store" : "S3 store", name + " deadline", deadlines.of(command.type()),
                    dumps ? List.of(pgDumpLockWait(binder), s3) : List.of(s3)));
        }
        return chains;
    }

    /** One S3 request of {@code origin}'s client (common/s3, {@code wharf.s3.*}): its attempts, their timeout, the backoffs between. */
    public static TimeoutLink s3(String origin, Binder binder) {
        S3Properties s3 = binder.bind("wharf.s3", S3Properties.class).orElseGet(S3Properties::new);
        s3.validate();
        return new TimeoutLink("S3", origin, "S3 store", s3.getMaxAttempts() - 1, s3.getAttemptTimeout(),
                S3Clients.MAX_BACKOFF);
    }

    /**
     * pg_dump's lock wait: the longest a PostgreSQL target is given ({@code wharf.backup.targets.<name>.lock-wait},
     * else {@code wharf.backup.lock-wait}, else 10m); with no PostgreSQL target, what one would be given.
     */
    public static TimeoutLink pgDumpLockWait(Binder binder) {
        Duration platform = checkLockWait("wharf.backup.lock-wait",
                binder.bind("wharf.backup.lock-wait", Duration.class).orElse(DEFAULT_PG_DUMP_LOCK_WAIT));
        Map<String, TargetTimeouts> targets = binder.bind("wharf.backup.targets",
                Bindable.mapOf(String.class, TargetTimeouts.class)).orElse(Map.of());
        String where = "PostgreSQL (default)";
        Duration longest = platform;
        boolean first = true;
        for (Map.Entry<String, TargetTimeouts> target : targets.entrySet()) {
            if ("directory".equals(target.getValue().getType())) {
                continue;
            }
            Duration wait = target.getValue().getLockWait() != null
                    ? checkLockWait("wharf.backup.targets." + target.getKey() + ".lock-wait", target.getValue().getLockWait())
                    : platform;
            if (first || wait.compareTo(longest) > 0) {
                longest = wait;
                where = "PostgreSQL (" + target.getKey() + ")";
                first = false;
            }
        }
        return new TimeoutLink("pg_dump lock wait", "pg_dump", where, 0, longest);
    }

    /** pg_dump reads a lock wait of 0 as "wait forever", and counts in whole milliseconds: {@code wait}, if it is at least 1 ms. */
    public static Duration checkLockWait(String key, Duration wait) {
        if (wait == null || wait.toMillis() < 1) {
            throw new IllegalStateException(key + " must be at least 1ms (pg_dump would wait for a lock forever)");
        }
        return wait;
    }

    /** What the chains read of a backup target ({@code wharf.backup.targets.<name>.*}); the rest is the backup-service's. */
    public static class TargetTimeouts {
        private String type = "postgres";
        private Duration lockWait;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public Duration getLockWait() {
            return lockWait;
        }

        public void setLockWait(Duration lockWait) {
            this.lockWait = lockWait;
        }
    }

    /** What a service checked at start-up: its chains, all holding. */
    public record Checked(List<TimeoutChain> chains) {
    }

    /**
     * Checks {@code service}'s chains; throws {@link TimeoutChain.TimeoutChainException}, whose message is
     * the chain's one line, for the first that does not hold.
     */
    public static Checked check(String service, Binder binder) {
        List<TimeoutChain> chains = new ArrayList<>();
        if (LONG_JOBS.containsKey(service)) {
            chains.add(consumer(service, binder));
        }
        if ("backup-service".equals(service)) {
            chains.addAll(backup(binder));
        }
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
