package org.wharf.common.contract;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.wharf.common.json.WharfJson;

import tools.jackson.databind.JsonNode;

/**
 * The JSON Schema of a payload record, read from the record by reflection, as {@code WharfJson} writes
 * and reads it: components in declaration order, nested records inline.
 *
 * <p>A field is {@code required} when the payload refuses to be built without it (its compact
 * constructor's {@code Required} checks, which make such a record unreadable): each field is left out
 * in turn, with every other field filled, and the whole payload built around it. A nested record is
 * probed inside its message, because a message may demand more of it than the record itself does
 * (DepositReceived requires {@code archive.size}; StoredObject alone does not). A text field that is
 * also refused when blank gets {@code pattern: \S}. A field that is not required may be null.
 */
public final class PayloadSchema {

    private static final String NULL = "null";

    private PayloadSchema() {
    }

    /** The schema of {@code payloadClass}, a record. */
    public static Map<String, Object> of(Class<?> payloadClass) {
        if (!payloadClass.isRecord()) {
            throw new IllegalArgumentException(payloadClass.getName() + " is not a record: no payload schema for it");
        }
        return schema(payloadClass, payload -> true, List.of());
    }

    /**
     * @param accepted whether the whole payload can be built with this value at the place being described
     * @param enclosing the records around this place, outermost first (a record inside itself is refused)
     */
    private static Map<String, Object> schema(Type type, Predicate<Object> accepted, List<Class<?>> enclosing) {
        Class<?> raw = rawClass(type);
        if (raw.isRecord()) {
            return recordSchema(raw, accepted, enclosing);
        }
        if (Collection.class.isAssignableFrom(raw)) {
            Type element = typeArgument(type, 0);
            Map<String, Object> schema = typed("array");
            schema.put("items", schema(element, e -> accepted.test(collectionOf(raw, e)), enclosing));
            if (Set.class.isAssignableFrom(raw)) {
                schema.put("uniqueItems", true);
            }
            return schema;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (rawClass(typeArgument(type, 0)) != String.class) {
                throw new IllegalArgumentException("a payload map's keys must be text (JSON object names): " + type);
            }
            Map<String, Object> schema = typed("object");
            schema.put("additionalProperties", schema(typeArgument(type, 1), v -> accepted.test(Map.of("key", v)), enclosing));
            return schema;
        }
        if (raw == Optional.class) {
            return schema(typeArgument(type, 0), v -> accepted.test(Optional.of(v)), enclosing);
        }
        if (raw.isEnum()) {
            Map<String, Object> schema = typed("string");
            schema.put("enum", new ArrayList<>(Arrays.stream(raw.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList()));
            return schema;
        }
        return scalar(raw, enclosing);
    }

    private static Map<String, Object> recordSchema(Class<?> record, Predicate<Object> accepted, List<Class<?>> enclosing) {
        if (enclosing.contains(record)) {
            throw new IllegalArgumentException("payload record " + record.getName() + " contains itself");
        }
        List<Class<?>> inside = new ArrayList<>(enclosing);
        inside.add(record);
        RecordComponent[] components = record.getRecordComponents();
        Object[] sample = sampleArguments(record);
        if (!accepted.test(build(record, sample))) {
            throw new IllegalStateException("cannot build a sample " + record.getName() + " to read its mandatory fields from");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            if (component.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            int index = i;
            Predicate<Object> here = value -> {
                Object[] arguments = sample.clone();
                arguments[index] = value;
                Object built = build(record, arguments);
                return built != null && accepted.test(built);
            };
            Map<String, Object> schema = schema(component.getGenericType(), here, inside);
            Object absent = component.getType() == Optional.class ? Optional.empty() : null;
            boolean mandatory = component.getType().isPrimitive() || !here.test(absent);
            if (mandatory) {
                required.add(jsonName(component));
                if (component.getType() == String.class && !here.test(" ")) {
                    schema.put("pattern", "\\S");
                }
            } else {
                nullable(schema);
            }
            properties.put(jsonName(component), schema);
        }
        Map<String, Object> schema = typed("object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }

    /** A field left out may also be written as JSON null: add null to its type (and to its enum). */
    @SuppressWarnings("unchecked")
    private static void nullable(Map<String, Object> schema) {
        schema.put("type", List.of((String) schema.get("type"), NULL));
        if (schema.get("enum") instanceof List<?> values) {
            ((List<Object>) values).add(null);
        }
    }

    private static Map<String, Object> scalar(Class<?> raw, List<Class<?>> enclosing) {
        if (raw == String.class) {
            return typed("string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return typed("boolean");
        }
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class) {
            return formatted("integer", "int32");
        }
        if (raw == long.class || raw == Long.class) {
            return formatted("integer", "int64");
        }
        if (raw == BigInteger.class) {
            return typed("integer");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class || raw == BigDecimal.class) {
            return typed("number");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class) {
            return formatted("string", "date-time");
        }
        if (raw == LocalDate.class) {
            return formatted("string", "date");
        }
        if (raw == Duration.class) {
            return formatted("string", "duration");
        }
        if (raw == UUID.class) {
            return formatted("string", "uuid");
        }
        if (raw == URI.class) {
            return formatted("string", "uri");
        }
        if (JsonNode.class.isAssignableFrom(raw)) {
            return typed("object");
        }
        throw new UnsupportedType(raw.getName(), enclosing.get(enclosing.size() - 1).getName());
    }

    private static Map<String, Object> typed(String type) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type);
        return schema;
    }

    private static Map<String, Object> formatted(String type, String format) {
        Map<String, Object> schema = typed(type);
        schema.put("format", format);
        return schema;
    }

    /** The record built from these arguments, or null when it refuses them. */
    private static Object build(Class<?> record, Object[] arguments) {
        try {
            return canonicalConstructor(record).newInstance(arguments);
        } catch (InvocationTargetException refused) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + record.getName() + ": " + e, e);
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> record) throws NoSuchMethodException {
        Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> constructor = record.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor;
    }

    private static Object[] sampleArguments(Class<?> record) {
        RecordComponent[] components = record.getRecordComponents();
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                arguments[i] = sample(components[i].getGenericType());
            } catch (UnsupportedType e) {
                throw e.in(record.getName() + "." + components[i].getName());
            }
        }
        return arguments;
    }

    /** A field type this class has no schema for, named with the field it was found in (the innermost). */
    static final class UnsupportedType extends IllegalArgumentException {
        private final String type;

        UnsupportedType(String type, String field) {
            super("no JSON Schema for " + type + (field == null ? "" : " (" + field + ")") + ": add it to PayloadSchema");
            this.type = type;
        }

        UnsupportedType in(String field) {
            return getMessage().contains(" (") ? this : new UnsupportedType(type, field);
        }
    }

    /** A value of {@code type} that a record takes for a present field (every field of a record filled). */
    static Object sample(Type type) {
        Class<?> raw = rawClass(type);
        if (raw.isRecord()) {
            Object built = build(raw, sampleArguments(raw));
            if (built == null) {
                throw new IllegalStateException("cannot build a sample " + raw.getName());
            }
            return built;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return collectionOf(raw, sample(typeArgument(type, 0)));
        }
        if (Map.class.isAssignableFrom(raw)) {
            return Map.of("key", sample(typeArgument(type, 1)));
        }
        if (raw == Optional.class) {
            return Optional.of(sample(typeArgument(type, 0)));
        }
        if (raw.isEnum()) {
            return raw.getEnumConstants()[0];
        }
        if (raw == String.class) {
            return "x";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return true;
        }
        if (raw == int.class || raw == Integer.class) {
            return 1;
        }
        if (raw == short.class || raw == Short.class) {
            return (short) 1;
        }
        if (raw == long.class || raw == Long.class) {
            return 1L;
        }
        if (raw == double.class || raw == Double.class) {
            return 1.0;
        }
        if (raw == float.class || raw == Float.class) {
            return 1.0f;
        }
        if (raw == BigInteger.class) {
            return BigInteger.ONE;
        }
        if (raw == BigDecimal.class) {
            return BigDecimal.ONE;
        }
        if (raw == Instant.class) {
            return Instant.EPOCH;
        }
        if (raw == OffsetDateTime.class) {
            return OffsetDateTime.parse("1970-01-01T00:00:00Z");
        }
        if (raw == ZonedDateTime.class) {
            return ZonedDateTime.parse("1970-01-01T00:00:00Z");
        }
        if (raw == LocalDate.class) {
            return LocalDate.EPOCH;
        }
        if (raw == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (raw == UUID.class) {
            return new UUID(0, 1);
        }
        if (raw == URI.class) {
            return URI.create("https://example.org/");
        }
        if (JsonNode.class.isAssignableFrom(raw)) {
            return WharfJson.MAPPER.createObjectNode();
        }
        throw new UnsupportedType(raw.getName(), null);
    }

    private static Collection<Object> collectionOf(Class<?> raw, Object element) {
        return Set.class.isAssignableFrom(raw) ? Set.of(element) : List.of(element);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return rawClass(w.getUpperBounds()[0]);
        }
        throw new IllegalArgumentException("no JSON Schema for the type " + type);
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalArgumentException("a payload's " + type + " needs its type arguments (a raw type says nothing of its items)");
    }
}
