package org.wharf.cli.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.wharf.cli.Wharf;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.envelope.KafkaBinding;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.s3.S3Properties;

import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Loads the classes a command uses, without a platform: the training run of the {@code wharf} script's
 * class-data archive ({@code -XX:ArchiveClassesAtExit}), so that a real command finds them mapped and
 * verified instead of loading each from its jar. Every command's help, the payload mapper both ways, an
 * S3 request that cannot connect, a Kafka producer and consumer built and closed. Prints nothing.
 */
public final class ClassWarmUp {

    private ClassWarmUp() {
    }

    public static void main(String[] args) {
        run();
    }

    /** Does it all; returns how many commands' help it rendered. */
    static int run() {
        StringWriter sink = new StringWriter();
        PrintWriter out = new PrintWriter(sink);
        int commands = help(Wharf.commandLine(new Cli(Map.of(), new Terminal(out, out))), out);

        StoredObject object = new StoredObject("wharf-deposits", "deposits/warm-up/archive.tar.gz", 1L, "0".repeat(64));
        DepositReceived received = new DepositReceived("warm-up", "warm-up", "warm-up", "https://warm-up.invalid/", object, object,
                Instant.now());
        Envelope envelope = Envelope.first(Broker.SOURCE, Messages.DEPOSIT_RECEIVED.type(), "warm-up", "warm-up",
                Messages.DEPOSIT_RECEIVED.write(received));
        Messages.DEPOSIT_RECEIVED.read(KafkaBinding.fromRecord(asConsumed(KafkaBinding.toRecord("warm-up", "warm-up", envelope))));
        new Terminal(out, out).json(received);

        S3Properties s3Properties = new S3Properties();
        s3Properties.setEndpoint(URI.create("http://127.0.0.1:1")); // nothing listens there: refused at once
        s3Properties.setAccessKey("warm-up");
        s3Properties.setSecretKey("warm-up");
        s3Properties.setMaxAttempts(1);
        try (S3Client s3 = S3Clients.create(s3Properties)) {
            s3.headObject(b -> b.bucket("warm-up").key("warm-up"));
        } catch (SdkException expected) {
            // the request's classes are loaded; there is no S3 here
        }

        new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer()).close(Duration.ZERO);
        new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())
                .close(Duration.ZERO);
        return commands;
    }

    private static int help(CommandLine command, PrintWriter out) {
        command.usage(out);
        int count = 1;
        for (CommandLine sub : command.getSubcommands().values()) {
            count += help(sub, out);
        }
        return count;
    }

    /** A record as a consumer gets it back. */
    private static ConsumerRecord<String, byte[]> asConsumed(ProducerRecord<String, byte[]> sent) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(sent.topic(), 0, 0L, sent.key(), sent.value());
        sent.headers().forEach(header -> record.headers().add(header));
        return record;
    }
}
