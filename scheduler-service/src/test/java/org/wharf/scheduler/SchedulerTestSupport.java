package org.wharf.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.WharfApplication;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.json.WharfJson;
import org.wharf.common.message.schedule.ScheduleDefinition;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.topic.Topic;

/** Starts scheduler instances against the shared infrastructure, and reads what they fired. */
public final class SchedulerTestSupport {

    public static final String TARGET_TOPIC = Topic.DEPLOY_COMMANDS.topicName();
    public static final String TARGET_TYPE = "org.wharf.deploy.deploy.v1";

    private SchedulerTestSupport() {
    }

    /** A scheduler instance; {@code clock} null for the system clock. */
    public static ConfigurableApplicationContext start(Clock clock, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(SharedInfrastructure.get().serviceProperties("scheduler"));
        properties.put("wharf.consumer.retry-max-interval", "1s");
        properties.put("wharf.scheduler.poll-interval", "100ms");
        properties.putAll(overrides);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        var builder = WharfApplication.builder(SchedulerApplication.class, SchedulerApplication.SERVICE_NAME);
        if (clock != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("clock", clock));
        }
        return builder.run(args);
    }

    /** A schedule firing a deploy command keyed {@code key} (no deploy-service runs in these tests). */
    public static ScheduleDefinition definition(String name, String expression, String key) {
        return new ScheduleDefinition(name, expression, null, command(key), null, null, null, null, null);
    }

    public static ScheduledCommand command(String key) {
        return new ScheduledCommand(TARGET_TOPIC, TARGET_TYPE, key,
                WharfJson.MAPPER.readTree("{\"application\":\"app\",\"environment\":\"" + key + "\"}"));
    }

    /** The answer the scheduler gave to {@code command} (the event it caused). */
    public static Envelope answer(KafkaTestClient kafka, Envelope command) {
        List<ConsumerRecord<String, byte[]>> found = kafka.await(Topic.SCHEDULER_EVENTS.topicName(),
                r -> command.id().equals(KafkaTestClient.envelope(r).causationId()), 1, Duration.ofSeconds(30));
        return KafkaTestClient.envelope(found.get(0));
    }

    /**
     * The commands fired with record key {@code key}, as a consumer sees them: one per {@code ce_id}. The
     * outbox delivers at least once (a relay killed between the broker's acknowledgement and marking its
     * rows sent, or whose batch timed out, sends the same records again, same {@code ce_id}), and every
     * consumer's inbox drops the copies; two fires of one due time would be two ids.
     */
    public static List<Envelope> fired(KafkaTestClient kafka, String key, Duration grace) {
        Map<String, Envelope> byId = new LinkedHashMap<>();
        kafka.all(TARGET_TOPIC, KafkaTestClient.withKey(key), grace).stream().map(KafkaTestClient::envelope)
                .forEach(envelope -> byId.putIfAbsent(envelope.id(), envelope));
        return new ArrayList<>(byId.values());
    }

    public static List<Envelope> events(KafkaTestClient kafka, String name, String type, Duration grace) {
        return kafka.all(Topic.SCHEDULER_EVENTS.topicName(), KafkaTestClient.withKey(name), grace).stream()
                .map(KafkaTestClient::envelope).filter(e -> e.type().equals(type)).collect(Collectors.toList());
    }

    /** A clock the test moves by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void set(Instant instant) {
            now = instant;
        }

        public void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

}
