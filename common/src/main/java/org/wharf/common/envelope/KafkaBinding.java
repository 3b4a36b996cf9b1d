package org.wharf.common.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** CloudEvents' Kafka protocol binding, binary content mode: attributes as {@code ce_} headers. */
public final class KafkaBinding {

    public static final String SPECVERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CAUSATION_ID = "ce_causationid";
    public static final String ACTOR = "ce_actor";
    /** Extension attribute on commands: the instant after which the command must not start. */
    public static final String DEADLINE = "ce_deadline";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";

    private KafkaBinding() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, String key, Envelope envelope) {
        return new ProducerRecord<>(topic, null, key, envelope.data(), headers(envelope));
    }

    public static Headers headers(Envelope e) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, SPECVERSION, "1.0");
        put(headers, ID, e.id());
        put(headers, SOURCE, e.source());
        put(headers, TYPE, e.type());
        put(headers, TIME, e.time().toString());
        put(headers, SUBJECT, e.subject());
        put(headers, CORRELATION_ID, e.correlationId());
        put(headers, CAUSATION_ID, e.causationId());
        put(headers, ACTOR, e.actor());
        put(headers, DEADLINE, e.deadline() == null ? null : e.deadline().toString());
        put(headers, CONTENT_TYPE, JSON);
        return headers;
    }

    /** Reads the envelope of a record, or says precisely why it is not one. */
    public static Envelope fromRecord(ConsumerRecord<String, byte[]> record) {
        Headers h = record.headers();
        String type = get(h, TYPE);
        if (type == null || type.isBlank()) {
            throw new UnreadableRecordException("no ce_type header: not a Wharf CloudEvent");
        }
        String id = get(h, ID);
        if (id == null || id.isBlank()) {
            throw new UnreadableRecordException("no ce_id header on a record of type " + type);
        }
        String source = get(h, SOURCE);
        if (source == null) {
            throw new UnreadableRecordException("no ce_source header on record " + id);
        }
        String contentType = get(h, CONTENT_TYPE);
        if (contentType != null && !contentType.startsWith(JSON)) {
            throw new UnreadableRecordException("content-type " + contentType + " is not " + JSON);
        }
        if (record.value() == null) {
            throw new UnreadableRecordException("record " + id + " has no value");
        }
        return new Envelope(id, source, type, time(h, id), get(h, SUBJECT), get(h, CORRELATION_ID),
                get(h, CAUSATION_ID), get(h, ACTOR), instant(h, DEADLINE, id, false), record.value());
    }

    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Instant time(Headers h, String id) {
        return instant(h, TIME, id, true);
    }

    private static Instant instant(Headers h, String header, String id, boolean required) {
        String time = get(h, header);
        if (time == null) {
            if (required) {
                throw new UnreadableRecordException("no " + header + " header on record " + id);
            }
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new UnreadableRecordException(header + " '" + time + "' of record " + id + " is not an RFC 3339 time");
        }
    }

    private static void put(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
