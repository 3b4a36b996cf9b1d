package org.wharf.common.envelope;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One CloudEvents 1.0 event as Wharf sends it: the attributes travel as Kafka headers, {@code data}
 * (UTF-8 JSON) is the record value.
 *
 * @param correlationId the deposit, backup or deployment the record belongs to
 * @param causationId the {@code ce_id} of the record that caused this one (null for a first record)
 * @param actor who asked: an operator's name, {@code scheduler}, or a system's name
 * @param deadline on a command, the instant after which it must not start (null on events)
 */
public record Envelope(String id, String source, String type, Instant time, String subject,
                       String correlationId, String causationId, String actor, Instant deadline, byte[] data) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** A first record of a new correlation (a command from an operator, say); its own id is the correlation id. */
    public static Envelope first(String source, String type, String subject, String actor, byte[] data) {
        return first(source, type, subject, actor, null, data);
    }

    /** A first record of the correlation {@code correlationId} (a deposit's id, say); null: its own id. */
    public static Envelope first(String source, String type, String subject, String actor, String correlationId, byte[] data) {
        String id = newId();
        return new Envelope(id, source, type, Instant.now(), subject, correlationId != null ? correlationId : id,
                null, actor, null, data);
    }

    /** A record caused by {@code cause}: same correlation and actor, causation pointing at it. */
    public static Envelope causedBy(Envelope cause, String source, String type, String subject, byte[] data) {
        return new Envelope(newId(), source, type, Instant.now(), subject,
                cause.correlationId() != null ? cause.correlationId() : cause.id(), cause.id(),
                cause.actor(), null, data);
    }

    /** A record caused by the record {@code causeId}, when only its ids are at hand (kept in a service's schema). */
    public static Envelope causedBy(String causeId, String correlationId, String actor, String source, String type,
                                    String subject, byte[] data) {
        return new Envelope(newId(), source, type, Instant.now(), subject,
                correlationId != null ? correlationId : causeId, causeId, actor, null, data);
    }

    /** This record with a deadline (a command's: after it, the command must not start). */
    public Envelope withDeadline(Instant deadline) {
        return new Envelope(id, source, type, time, subject, correlationId, causationId, actor, deadline, data);
    }

    /** True if this record carries a deadline that has passed at {@code now}. */
    public boolean pastDeadline(Instant now) {
        return deadline != null && now.isAfter(deadline);
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
