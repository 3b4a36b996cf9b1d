package org.wharf.common.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.CheckDetail;
import org.wharf.common.message.deposit.CheckDetails;

import java.util.Optional;

class KafkaBindingTest {

    @Test
    void anEnvelopeTravelsAsCeHeadersAndAJsonValue() {
        Envelope cause = Envelope.first("/wharf/cli", "org.wharf.deposit.received.v1", "d1", "alice", "d1", "{}".getBytes());
        DepositRejected payload = new DepositRejected("d1", new CheckDetails(
                List.of(CheckDetail.of("archive sha256 mismatch", "sha256")), null, null, null));
        Envelope envelope = Envelope.causedBy(cause, "/wharf/checker-service", Messages.DEPOSIT_REJECTED.type(), "d1",
                Messages.DEPOSIT_REJECTED.write(payload));

        ProducerRecord<String, byte[]> record = KafkaBinding.toRecord("wharf.checker.events", "d1", envelope);
        assertThat(header(record.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record.headers(), "ce_type")).isEqualTo("org.wharf.deposit.rejected.v1");
        assertThat(header(record.headers(), "ce_correlationid")).isEqualTo("d1");
        assertThat(header(record.headers(), "ce_causationid")).isEqualTo(cause.id());
        assertThat(header(record.headers(), "ce_actor")).isEqualTo("alice");
        assertThat(header(record.headers(), "content-type")).isEqualTo("application/json");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"depositId\":\"d1\",\"details\":{\"archive\":[{\"summary\":\"archive sha256 mismatch\","
                        + "\"fields\":[\"sha256\"]}],\"metadata\":[],\"url\":[],\"client\":[]}}");

        Envelope read = KafkaBinding.fromRecord(consumed(record.headers(), record.value()));
        assertThat(read.id()).isEqualTo(envelope.id());
        assertThat(read.time()).isEqualTo(envelope.time());
        assertThat(Messages.DEPOSIT_REJECTED.read(read)).isEqualTo(payload);
    }

    @Test
    void aCommandsDeadlineTravelsAsTheCeDeadlineExtension() {
        Instant deadline = Instant.parse("2026-12-01T12:00:00Z");
        Envelope command = Envelope.first("/wharf/cli", Messages.RUN_BACKUP.type(), "sample", "alice", "{}".getBytes())
                .withDeadline(deadline);
        ProducerRecord<String, byte[]> record = KafkaBinding.toRecord("wharf.backup.commands", "sample", command);
        assertThat(header(record.headers(), "ce_deadline")).isEqualTo("2026-12-01T12:00:00Z");
        Envelope read = KafkaBinding.fromRecord(consumed(record.headers(), record.value()));
        assertThat(read.deadline()).isEqualTo(deadline);
        assertThat(read.pastDeadline(deadline.plusSeconds(1))).isTrue();
        assertThat(read.pastDeadline(deadline)).isFalse();

        Envelope event = Envelope.causedBy(read, "/wharf/backup-service", Messages.BACKUP_STARTED.type(), "sample", "{}".getBytes());
        assertThat(header(KafkaBinding.toRecord("wharf.backup.events", "sample", event).headers(), "ce_deadline")).isNull();

        Headers badDeadline = record.headers();
        badDeadline.remove("ce_deadline");
        badDeadline.add("ce_deadline", "soon".getBytes());
        assertThatThrownBy(() -> KafkaBinding.fromRecord(consumed(badDeadline, "{}".getBytes())))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("ce_deadline 'soon'");
    }

    @Test
    void recordsThatAreNotWharfCloudEventsAreUnreadableWithAReason() {
        assertThatThrownBy(() -> KafkaBinding.fromRecord(consumed(new RecordHeaders(), "x".getBytes())))
                .isInstanceOf(UnreadableRecordException.class).hasMessage("no ce_type header: not a Wharf CloudEvent");

        Headers badTime = KafkaBinding.headers(Envelope.first("/t", "org.wharf.x.y.v1", "k", "a", "{}".getBytes()));
        badTime.remove("ce_time");
        badTime.add("ce_time", "yesterday".getBytes());
        assertThatThrownBy(() -> KafkaBinding.fromRecord(consumed(badTime, "{}".getBytes())))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("'yesterday'");

        Envelope notJson = new Envelope("id", "/t", Messages.DEPOSIT_REJECTED.type(), Instant.now(), null, null, null, null, null,
                "not json".getBytes());
        assertThatThrownBy(() -> Messages.DEPOSIT_REJECTED.read(notJson))
                .isInstanceOf(UnreadableRecordException.class).hasMessageContaining("does not match org.wharf.deposit.rejected.v1");
    }

    private static String header(Headers headers, String name) {
        return KafkaBinding.get(headers, name);
    }

    private static ConsumerRecord<String, byte[]> consumed(Headers headers, byte[] value) {
        return new ConsumerRecord<>("t", 0, 0L, 0L, TimestampType.CREATE_TIME, 0, value.length, "k", value, headers, Optional.empty());
    }
}
