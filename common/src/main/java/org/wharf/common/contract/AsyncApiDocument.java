package org.wharf.common.contract;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.WharfService;
import org.wharf.common.topic.Topic;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The topic contract as an AsyncAPI 3.0.0 document ({@code docs/asyncapi.yaml}), made from the catalogs
 * only, so that it cannot say anything the code does not: a channel per {@link Topic}, its messages from
 * {@link Messages} (the audit topic carries them all), a {@code send} operation per principal that
 * {@link AclPlan} lets write the topic and a {@code receive} operation per principal that it lets read it,
 * and per message its CloudEvents headers, its record key and its payload's schema ({@link PayloadSchema}).
 * The same input gives the same bytes: everything is in catalog order or sorted.
 */
public final class AsyncApiDocument {

    static final String VERSION = "3.0.0";
    /** The version of the Kafka bindings used below. */
    static final String KAFKA_BINDING_VERSION = "0.5.0";
    static final String EVENT_HEADERS = "EventHeaders";
    static final String COMMAND_HEADERS = "CommandHeaders";

    private AsyncApiDocument() {
    }

    /** The document as YAML, headed by a comment saying where it comes from. */
    public static String yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setSplitLines(false);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        return "# The topic contract, generated from Topic, Messages and AclPlan (common) by\n"
                + "# org.wharf.common.contract.AsyncApiDocument. Do not edit: regenerate with\n"
                + "#   " + ContractDocuments.REGENERATE + "\n"
                + new Yaml(options).dump(tree());
    }

    /** The document as maps and lists, in the order it is written. */
    public static Map<String, Object> tree() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("asyncapi", VERSION);
        document.put("info", object(
                "title", "Wharf",
                "version", ContractVersion.current(),
                "description", "Commands and events between Wharf's services, its `wharf` command and depositing systems,"
                        + " over Kafka. Every record is a CloudEvents 1.0 event in Kafka binary mode (attributes as ce_*"
                        + " headers, the JSON payload as the value); see docs/architecture.md, \"Envelope\". Readers ignore"
                        + " unknown payload fields and skip unknown types. Writers and readers are the ACL plan's"
                        + " (common/contract/AclPlan): what the broker lets each principal do."));
        document.put("defaultContentType", KafkaBinding.JSON);
        document.put("servers", object("local", object(
                // wharf local up's default --kafka-port; a deployment's brokers are its own configuration.
                "host", "127.0.0.1:19092",
                "protocol", "kafka",
                "description", "The broker of `wharf local up`; deployments name theirs in each service's configuration.")));
        document.put("channels", channels());
        document.put("operations", operations());
        document.put("components", object(
                "schemas", object(EVENT_HEADERS, headers(false), COMMAND_HEADERS, headers(true)),
                "messages", messages()));
        return document;
    }

    /** The catalog's messages on a topic: its own types, or every type for the audit topic (copies of all). */
    static List<MessageType<?>> messagesOn(Topic topic) {
        return Messages.all().stream()
                .filter(type -> topic == Topic.AUDIT || type.topic() == topic)
                .sorted(Comparator.comparing(MessageType::type))
                .toList();
    }

    static String operationId(String principal, String action, Topic topic) {
        return principal + "." + action + "." + topic.topicName();
    }

    private static Map<String, Object> channels() {
        Map<String, Object> channels = new LinkedHashMap<>();
        for (Topic topic : Topic.values()) {
            Map<String, Object> messages = new LinkedHashMap<>();
            for (MessageType<?> type : messagesOn(topic)) {
                messages.put(type.type(), reference("#/components/messages/" + type.type()));
            }
            channels.put(topic.topicName(), object(
                    "address", topic.topicName(),
                    "description", kindOf(topic) + "; written by " + Parties.described(AclPlan.writers(topic))
                            + "; read by " + Parties.described(AclPlan.readers(topic))
                            + ". Record key: " + topic.key() + ". Default retention: " + TopicTable.retention(topic)
                            + "; dead letters go to `" + topic.deadLetterTopicName() + "`.",
                    "messages", messages,
                    "bindings", object("kafka", object(
                            "topic", topic.topicName(),
                            "topicConfiguration", object("retention.ms", topic.defaultRetention().toMillis()),
                            "bindingVersion", KAFKA_BINDING_VERSION))));
        }
        return channels;
    }

    private static Map<String, Object> operations() {
        Map<String, Object> operations = new LinkedHashMap<>();
        for (Topic topic : Topic.values()) {
            // a reference each: one map written twice would come out as a YAML anchor and aliases
            String channel = "#/channels/" + topic.topicName();
            for (String writer : AclPlan.writers(topic)) {
                operations.put(operationId(writer, "send", topic), object(
                        "action", "send",
                        "channel", reference(channel),
                        "summary", "Written by " + Parties.described(writer) + "."));
            }
            for (String reader : AclPlan.readers(topic)) {
                Map<String, Object> operation = object(
                        "action", "receive",
                        "channel", reference(channel),
                        "summary", "Read by " + Parties.described(reader)
                                + (AclPlan.serviceInputs().containsKey(reader)
                                        ? ", as consumer group " + reader + "."
                                        : ", assigning partitions (no consumer group)."));
                if (AclPlan.serviceInputs().containsKey(reader)) {
                    // what its subscriptions handle; the rest of the topic it skips
                    operation.put("messages", handledOn(topic, reader).stream()
                            .map(type -> reference(channel + "/messages/" + type.type())).toList());
                    operation.put("bindings", object("kafka", object(
                            "groupId", object("type", "string", "enum", List.of(reader)),
                            "bindingVersion", KAFKA_BINDING_VERSION)));
                }
                operations.put(operationId(reader, "receive", topic), operation);
            }
        }
        return operations;
    }

    /** The messages on {@code topic} that {@code service} handles: the catalog's, which its subscriptions match. */
    static List<MessageType<?>> handledOn(Topic topic, String service) {
        return messagesOn(topic).stream()
                .filter(type -> Messages.readersOf(type).stream().anyMatch(reader -> reader.serviceName().equals(service)))
                .toList();
    }

    /** Who writes a message of this type: an event's one service, a command's (or a deposit's) every allowed writer. */
    static String writtenBy(MessageType<?> type) {
        return Messages.writerOf(type).map(WharfService::serviceName)
                .orElseGet(() -> Parties.described(AclPlan.writers(type.topic())));
    }

    /** The services that handle a message of this type (operators may read every topic besides). */
    static String handledBy(MessageType<?> type) {
        List<String> readers = Messages.readersOf(type).stream().map(WharfService::serviceName).toList();
        return readers.isEmpty() ? "no service (it is for operators and depositing systems)" : String.join(", ", readers);
    }

    private static Map<String, Object> messages() {
        Map<String, Object> messages = new LinkedHashMap<>();
        Messages.all().stream().sorted(Comparator.comparing(MessageType::type)).forEach(type -> {
            boolean command = type.topic().kind() == Topic.Kind.COMMANDS;
            String description = "On " + type.topic().topicName() + " (and its copy on " + Topic.AUDIT.topicName()
                    + "). Written by " + writtenBy(type) + "; handled by " + handledBy(type) + ". Payload: "
                    + type.payloadClass().getName() + ".";
            if (command) {
                description += " Its job ends with: " + String.join(", ",
                        Messages.jobEnds(type.type()).stream().map(MessageType::type).sorted().toList()) + ".";
            }
            messages.put(type.type(), object(
                    "name", type.type(),
                    "title", type.payloadClass().getSimpleName(),
                    "description", description,
                    "contentType", KafkaBinding.JSON,
                    "headers", reference("#/components/schemas/" + (command ? COMMAND_HEADERS : EVENT_HEADERS)),
                    "correlationId", object("location", "$message.header#/" + KafkaBinding.CORRELATION_ID),
                    "payload", PayloadSchema.of(type.payloadClass()),
                    "bindings", object("kafka", object(
                            "key", object("type", "string", "description", type.topic().key()),
                            "bindingVersion", KAFKA_BINDING_VERSION))));
        });
        return messages;
    }

    /** The CloudEvents attributes as Kafka headers (KafkaBinding), each a UTF-8 text. */
    private static Map<String, Object> headers(boolean command) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(KafkaBinding.SPECVERSION, object("type", "string", "const", "1.0"));
        properties.put(KafkaBinding.ID, text("The record's unique id (a UUID); a redelivery has the same, which inboxes absorb."));
        properties.put(KafkaBinding.SOURCE, text("Who wrote it: /wharf/<service>, /wharf/cli, or a depositing system's own."));
        properties.put(KafkaBinding.TYPE, text("The message's name (components.messages)."));
        properties.put(KafkaBinding.TIME, dateTime("When it happened (a fired command: its due time), RFC 3339 in UTC."));
        properties.put(KafkaBinding.SUBJECT, text("The record key."));
        properties.put(KafkaBinding.CORRELATION_ID, text("The deposit, backup or deployment it belongs to (a deposit's: its id)."));
        properties.put(KafkaBinding.CAUSATION_ID, text("The ce_id of the record that caused it; absent on a first record."));
        properties.put(KafkaBinding.ACTOR, text("Who asked: an operator's name, scheduler, or a system's name."));
        if (command) {
            properties.put(KafkaBinding.DEADLINE, dateTime("The instant after which the command must not start (refused: deadline passed)."));
        }
        properties.put(KafkaBinding.CONTENT_TYPE, object("type", "string", "const", KafkaBinding.JSON));
        return object(
                "type", "object",
                "properties", properties,
                // what a reader refuses a record without (KafkaBinding.fromRecord), and the version it is in
                "required", List.of(KafkaBinding.SPECVERSION, KafkaBinding.ID, KafkaBinding.SOURCE, KafkaBinding.TYPE,
                        KafkaBinding.TIME));
    }

    private static Map<String, Object> text(String description) {
        return object("type", "string", "description", description);
    }

    private static Map<String, Object> dateTime(String description) {
        return object("type", "string", "format", "date-time", "description", description);
    }

    private static String kindOf(Topic topic) {
        return switch (topic.kind()) {
            case EVENTS -> topic == Topic.DEPOSIT_RECEIVED ? "Deposits received" : "Events of " + AclPlan.serviceOf(topic);
            case COMMANDS -> "Commands to " + AclPlan.serviceOf(topic);
            case AUDIT -> "The audit trail: a copy of every record the services publish, and the consuming service's copy"
                    + " of each command and deposit";
        };
    }

    private static Map<String, Object> reference(String pointer) {
        return object("$ref", pointer);
    }

    /** A map of these keys and values, in this order. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
