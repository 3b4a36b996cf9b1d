package org.wharf.common.message.schedule;

import org.wharf.common.json.WharfJson;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Required;

import tools.jackson.databind.JsonNode;

/**
 * The command a schedule fires: a commands topic of the catalog, the command's {@code ce_type}, its
 * record key and its JSON payload. The scheduler checks that the topic is a commands topic (it never
 * writes another service's events) and the payload an object; the payload is fired as it is.
 */
public record ScheduledCommand(String topic, String type, String key, JsonNode payload) {

    public ScheduledCommand {
        Required.text(topic, "command.topic");
        Required.text(type, "command.type");
        Required.text(key, "command.key");
        Required.field(payload, "command.payload");
    }

    /** A catalog command to fire: its topic and {@code ce_type} from {@code type}, its payload as JSON. */
    public static <T> ScheduledCommand of(MessageType<T> type, String key, T payload) {
        return new ScheduledCommand(type.topic().topicName(), type.type(), key, WharfJson.MAPPER.valueToTree(payload));
    }
}
