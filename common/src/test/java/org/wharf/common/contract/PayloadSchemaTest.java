package org.wharf.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.Required;
import org.wharf.common.message.deploy.Deploy;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.message.deposit.DepositReceived;

import tools.jackson.databind.JsonNode;

class PayloadSchemaTest {

    enum Colour { RED, GREEN }

    record Part(String name, Integer size) {
        Part {
            Required.text(name, "name");
        }
    }

    record Probe(Colour colour, Colour shade, Duration delay, UUID id, Optional<String> note, List<Part> parts,
                 Map<String, Long> counts, Set<String> tags, long total) {
        Probe {
            Required.field(colour, "colour");
            Required.field(parts, "parts");
        }
    }

    record Opaque(Object anything) {
    }

    @Test
    @SuppressWarnings("unchecked")
    void mandatoryFieldsAreThoseTheRecordRefusesToBeWithout() {
        Map<String, Object> schema = PayloadSchema.of(DepositReceived.class);
        assertThat(schema.get("required")).isEqualTo(List.of("depositId", "collection", "client", "archive", "metadata",
                "receivedAt"));
        assertThat(property(schema, "depositId")).containsEntry("type", "string").containsEntry("pattern", "\\S");
        assertThat(property(schema, "originUrl")).containsEntry("type", List.of("string", "null"));
        assertThat(property(schema, "receivedAt")).containsEntry("type", "string").containsEntry("format", "date-time");
        // the message demands the archive's size and sha256; the metadata document is a StoredObject without them
        assertThat(property(schema, "archive").get("required")).isEqualTo(List.of("bucket", "key", "size", "sha256"));
        assertThat(property(schema, "metadata").get("required")).isEqualTo(List.of("bucket", "key"));
        assertThat(property(property(schema, "archive"), "size")).containsEntry("type", "integer").containsEntry("format", "int64");

        Map<String, Object> deploy = PayloadSchema.of(Deploy.class);
        assertThat(deploy.get("required")).isEqualTo(List.of("application", "environment"));
        assertThat(property(deploy, "ref")).containsEntry("type", List.of("string", "null"));
        assertThat(property(deploy, "noRestart")).containsEntry("type", List.of("array", "null"))
                .containsEntry("items", Map.of("type", "string"));

        Map<String, Object> step = PayloadSchema.of(StepFinished.class);
        assertThat((List<Object>) step.get("required")).contains("succeeded", "durationMillis").doesNotContain("exitStatus");
        assertThat(property(step, "succeeded")).containsEntry("type", "boolean");
        assertThat(property(step, "exitStatus")).containsEntry("type", List.of("integer", "null"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void enumsDurationsUuidsOptionalsCollectionsMapsAndNestedRecordsHaveTheirSchemas() {
        Map<String, Object> schema = PayloadSchema.of(Probe.class);
        assertThat(schema.get("required")).isEqualTo(List.of("colour", "parts", "total"));
        assertThat(property(schema, "colour")).containsEntry("type", "string").containsEntry("enum", List.of("RED", "GREEN"));
        List<Object> nullableColours = new ArrayList<>(List.of("RED", "GREEN"));
        nullableColours.add(null);
        assertThat(property(schema, "shade")).containsEntry("type", List.of("string", "null")).containsEntry("enum", nullableColours);
        assertThat(property(schema, "delay")).containsEntry("format", "duration");
        assertThat(property(schema, "id")).containsEntry("format", "uuid");
        assertThat(property(schema, "note")).containsEntry("type", List.of("string", "null"));
        Map<String, Object> part = (Map<String, Object>) property(schema, "parts").get("items");
        assertThat(part.get("required")).isEqualTo(List.of("name"));
        assertThat(property(part, "size")).containsEntry("type", List.of("integer", "null"));
        assertThat(property(schema, "counts").get("additionalProperties")).isEqualTo(Map.of("type", "integer", "format", "int64"));
        assertThat(property(schema, "tags")).containsEntry("uniqueItems", true);
        assertThat(property(schema, "total")).containsEntry("type", "integer");
    }

    @Test
    void whatTheMapperWritesFitsEveryMessagesSchema() {
        for (MessageType<?> type : Messages.all()) {
            JsonNode written = WharfJson.MAPPER.valueToTree(PayloadSchema.sample(type.payloadClass()));
            assertFits(written, PayloadSchema.of(type.payloadClass()), type.type());
        }
    }

    @Test
    void aTypeWithoutASchemaIsRefusedByName() {
        assertThatThrownBy(() -> PayloadSchema.of(Opaque.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object").hasMessageContaining(Opaque.class.getName());
        assertThatThrownBy(() -> PayloadSchema.of(String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a record");
    }

    /** The JSON a writer produced has exactly the schema's fields, each of the schema's type. */
    @SuppressWarnings("unchecked")
    private static void assertFits(JsonNode node, Map<String, Object> schema, String where) {
        Object declared = schema.get("type");
        List<Object> types = declared instanceof List<?> list ? (List<Object>) list : List.of(declared);
        assertThat(types).as("the type of %s (%s)", where, node).contains(jsonType(node));
        if (node.isObject() && schema.get("properties") instanceof Map<?, ?> properties) {
            List<String> names = node.properties().stream().map(Map.Entry::getKey).toList();
            assertThat(names).as("the fields of %s", where).containsExactlyElementsOf((Iterable<String>) properties.keySet());
            properties.forEach((name, property) -> assertFits(node.get((String) name), (Map<String, Object>) property,
                    where + "." + name));
        } else if (node.isObject() && schema.get("additionalProperties") instanceof Map<?, ?> values) {
            node.properties().forEach(field -> assertFits(field.getValue(), (Map<String, Object>) values,
                    where + "." + field.getKey()));
        } else if (node.isArray()) {
            node.values().forEach(item -> assertFits(item, (Map<String, Object>) schema.get("items"), where + "[]"));
        }
    }

    private static String jsonType(JsonNode node) {
        if (node.isString()) {
            return "string";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isObject()) {
            return "object";
        }
        return "null";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> property(Map<String, Object> schema, String name) {
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        assertThat(properties).containsKey(name);
        return (Map<String, Object>) properties.get(name);
    }
}
