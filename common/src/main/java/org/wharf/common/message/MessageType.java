package org.wharf.common.message;

import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.UnreadableRecordException;
import org.wharf.common.json.WharfJson;
import org.wharf.common.topic.Topic;

import tools.jackson.core.JacksonException;

/**
 * A typed entry of the message catalog: its {@code ce_type}, the topic it travels on and its payload
 * record. Reading a payload that does not fit the record is an {@link UnreadableRecordException}.
 */
public record MessageType<T>(String type, Topic topic, Class<T> payloadClass) {

    /** Whether {@code envelope} is a message of this type. */
    public boolean is(Envelope envelope) {
        return envelope != null && type.equals(envelope.type());
    }

    /** Whether {@code ceType} (an envelope's {@code type}) is this type. */
    public boolean is(String ceType) {
        return type.equals(ceType);
    }

    public T read(Envelope envelope) {
        try {
            T payload = WharfJson.MAPPER.readValue(envelope.data(), payloadClass);
            if (payload == null) {
                throw new UnreadableRecordException("payload of " + envelope.id() + " is JSON null, not a " + type);
            }
            return payload;
        } catch (JacksonException e) {
            throw new UnreadableRecordException("payload of record " + envelope.id() + " does not match "
                    + type + ": " + e.getOriginalMessage());
        }
    }

    public byte[] write(T payload) {
        return WharfJson.MAPPER.writeValueAsBytes(payload);
    }
}
