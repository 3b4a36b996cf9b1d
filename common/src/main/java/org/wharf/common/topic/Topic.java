package org.wharf.common.topic;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one catalog of Wharf's topics. An events topic has a single writer (the service named in its
 * topic name); a commands topic is read by one service and written by whoever asks.
 */
public enum Topic {

    DEPOSIT_RECEIVED("wharf.deposit.received", Kind.EVENTS, "deposit id", Duration.ofDays(400)),
    CHECKER_COMMANDS("wharf.checker.commands", Kind.COMMANDS, "deposit id / client", Duration.ofDays(14)),
    CHECKER_EVENTS("wharf.checker.events", Kind.EVENTS, "deposit id / client", Duration.ofDays(400)),
    LOADER_COMMANDS("wharf.loader.commands", Kind.COMMANDS, "deposit id", Duration.ofDays(14)),
    LOADER_EVENTS("wharf.loader.events", Kind.EVENTS, "deposit id", Duration.ofDays(400)),
    BACKUP_COMMANDS("wharf.backup.commands", Kind.COMMANDS, "backup target", Duration.ofDays(14)),
    BACKUP_EVENTS("wharf.backup.events", Kind.EVENTS, "backup target", Duration.ofDays(400)),
    DEPLOY_COMMANDS("wharf.deploy.commands", Kind.COMMANDS, "application/environment", Duration.ofDays(14)),
    DEPLOY_EVENTS("wharf.deploy.events", Kind.EVENTS, "application/environment", Duration.ofDays(400)),
    SCHEDULER_COMMANDS("wharf.scheduler.commands", Kind.COMMANDS, "schedule name", Duration.ofDays(14)),
    SCHEDULER_EVENTS("wharf.scheduler.events", Kind.EVENTS, "schedule name", Duration.ofDays(400)),
    /** A copy of every record above, as published. */
    AUDIT("wharf.audit", Kind.AUDIT, "as the original", Duration.ofDays(400));

    /** spring-kafka's default dead-letter suffix. */
    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    public enum Kind { EVENTS, COMMANDS, AUDIT }

    private final String topicName;
    private final Kind kind;
    private final String key;
    private final Duration defaultRetention;

    Topic(String topicName, Kind kind, String key, Duration defaultRetention) {
        this.topicName = topicName;
        this.kind = kind;
        this.key = key;
        this.defaultRetention = defaultRetention;
    }

    /** The catalog's topic of this name, if it is one. */
    public static Optional<Topic> named(String topicName) {
        return Arrays.stream(values()).filter(topic -> topic.topicName.equals(topicName)).findFirst();
    }

    public String topicName() {
        return topicName;
    }

    public String deadLetterTopicName() {
        return topicName + DEAD_LETTER_SUFFIX;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether the service that consumes this topic's records writes their audit copies: a commands
     * topic, and {@code wharf.deposit.received}, both written by outsiders (operators, other systems),
     * who may not write the audit trail. An events topic's writer copies its own records.
     */
    public boolean auditedByConsumer() {
        return kind == Kind.COMMANDS || this == DEPOSIT_RECEIVED;
    }

    /** What the record key is, for people reading the catalog. */
    public String key() {
        return key;
    }

    public Duration defaultRetention() {
        return defaultRetention;
    }
}
