package org.wharf.cli.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.wharf.cli.support.UsageException;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.RunBackup;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.topic.Topic;
import org.wharf.common.util.Reasons;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What {@code wharf schedule add} was told to fire: {@code --backup TARGET}, {@code --deploy APP ENV},
 * or {@code --type T --payload JSON [--topic TOPIC] [--key KEY]}; exactly one of the three.
 */
record CommandToFire(String backup, List<String> deploy, String type, String payload, String topic, String key) {

    static final String RUN_BACKUP = Messages.RUN_BACKUP.type();
    static final String DEPLOY = Messages.DEPLOY.type();

    ScheduledCommand toScheduledCommand(String scheduleName) {
        int chosen = (backup != null ? 1 : 0) + (deploy != null ? 1 : 0) + (type != null ? 1 : 0);
        if (chosen != 1) {
            throw new UsageException("say what to fire: exactly one of --backup TARGET, --deploy APP ENV, --type T --payload JSON");
        }
        if (type == null && (payload != null || topic != null || key != null)) {
            throw new UsageException("--payload, --topic and --key go with --type only");
        }
        if (backup != null) {
            requireText(backup, "--backup");
            return ScheduledCommand.of(Messages.RUN_BACKUP, backup, new RunBackup(backup));
        }
        if (deploy != null) {
            requireDeploy();
            Deploy command = new Deploy(deploy.get(0), deploy.get(1), null, false, List.of(), false);
            return ScheduledCommand.of(Messages.DEPLOY, command.aggregateKey(), command);
        }
        requireText(type, "--type");
        if (payload == null) {
            throw new UsageException("--type " + type + " needs --payload JSON (a JSON object)");
        }
        Optional<MessageType<?>> known = CommandCatalog.find(type);
        String commandTopic = known.map(t -> t.topic().topicName()).orElseGet(this::givenTopic);
        known.ifPresent(this::requireCommandTopic);
        JsonNode body = objectPayload(known);
        return new ScheduledCommand(commandTopic, type, key != null && !key.isBlank() ? key : scheduleName, body);
    }

    private void requireDeploy() {
        if (deploy.size() != 2 || deploy.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new UsageException("--deploy takes an application and an environment: --deploy APP ENV");
        }
    }

    /** A type the catalog does not know travels where --topic says, which must be a commands topic. */
    private String givenTopic() {
        if (topic == null || topic.isBlank()) {
            throw new UsageException("--type " + type + " is not in the message catalog: say where it goes with --topic");
        }
        boolean commandsTopic = Topic.named(topic).filter(t -> t.kind() == Topic.Kind.COMMANDS).isPresent();
        if (!commandsTopic) {
            throw new UsageException("--topic " + topic + ": not a commands topic (one of "
                    + String.join(", ", Arrays.stream(Topic.values()).filter(t -> t.kind() == Topic.Kind.COMMANDS)
                    .map(Topic::topicName).toList()) + ")");
        }
        return topic;
    }

    /** The scheduler fires commands only; saying so here beats a rejection from the service. */
    private void requireCommandTopic(MessageType<?> known) {
        if (known.topic().kind() != Topic.Kind.COMMANDS) {
            throw new UsageException("--type " + type + " is an event on " + known.topic().topicName()
                    + ", not a command: a schedule fires commands only");
        }
        if (topic != null && !topic.equals(known.topic().topicName())) {
            throw new UsageException("--topic " + topic + ": " + type + " goes to " + known.topic().topicName());
        }
    }

    private JsonNode objectPayload(Optional<MessageType<?>> known) {
        JsonNode body;
        try {
            body = WharfJson.MAPPER.readTree(payload);
        } catch (JacksonException e) {
            throw new UsageException("--payload is not JSON: " + Reasons.of(e));
        }
        if (body == null || !body.isObject()) {
            throw new UsageException("--payload must be a JSON object, not " + describe(body));
        }
        // A typed catalog payload is checked now: a wrong one would otherwise fail at every fire, unseen.
        known.filter(t -> !JsonNode.class.isAssignableFrom(t.payloadClass())).ifPresent(t -> {
            try {
                WharfJson.MAPPER.treeToValue(body, t.payloadClass());
            } catch (JacksonException | IllegalArgumentException e) {
                throw new UsageException("--payload does not fit " + type + ": " + Reasons.of(e));
            }
        });
        return body;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    private static void requireText(String value, String option) {
        if (value.isBlank()) {
            throw new UsageException(option + " must not be blank");
        }
    }
}
