package org.wharf.common.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.wharf.common.topic.Topic;

/**
 * Wharf's services, each with the commands topic it reads and the events topic it alone writes. What each
 * reads besides is in the message catalog ({@link Messages#readBy}), which its subscriptions must match.
 */
public enum WharfService {

    CHECKER("checker-service", Topic.CHECKER_COMMANDS, Topic.CHECKER_EVENTS),
    LOADER("loader-service", Topic.LOADER_COMMANDS, Topic.LOADER_EVENTS),
    BACKUP("backup-service", Topic.BACKUP_COMMANDS, Topic.BACKUP_EVENTS),
    DEPLOY("deploy-service", Topic.DEPLOY_COMMANDS, Topic.DEPLOY_EVENTS),
    SCHEDULER("scheduler-service", Topic.SCHEDULER_COMMANDS, Topic.SCHEDULER_EVENTS);

    private final String serviceName;
    private final Topic commands;
    private final Topic events;

    WharfService(String serviceName, Topic commands, Topic events) {
        this.serviceName = serviceName;
        this.commands = commands;
        this.events = events;
    }

    /** Its name: the broker principal, the consumer group, the {@code spring.application.name}. */
    public String serviceName() {
        return serviceName;
    }

    public Topic commands() {
        return commands;
    }

    public Topic events() {
        return events;
    }

    /** The service that reads this commands topic or alone writes this events topic; empty for the others. */
    public static Optional<WharfService> of(Topic commandsOrEvents) {
        return Arrays.stream(values()).filter(s -> s.commands == commandsOrEvents || s.events == commandsOrEvents).findFirst();
    }

    /** The topics it consumes: its commands, then in catalog order those of the types it reads and those it follows whole. */
    public List<Topic> inputs() {
        List<Topic> inputs = new ArrayList<>(List.of(commands));
        Arrays.stream(Topic.values())
                .filter(topic -> topic != commands && (Messages.followedWholeBy(this).contains(topic)
                        || Messages.readBy(this).stream().anyMatch(type -> type.topic() == topic)))
                .forEach(inputs::add);
        return List.copyOf(inputs);
    }

    @Override
    public String toString() {
        return serviceName;
    }
}
