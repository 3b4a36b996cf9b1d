package org.wharf.common.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.wharf.common.message.WharfService;
import org.wharf.common.topic.Topic;

/**
 * Who may do what on the broker, derived from the topic catalog: the ACLs an operator applies (the
 * README prints them as {@code kafka-acls} commands, from {@link #commands}) and the secured-broker
 * test applies. Everything not listed is denied by Kafka's {@code StandardAuthorizer}.
 *
 * <ul>
 *   <li>a depositing system writes {@code wharf.deposit.received} only;</li>
 *   <li>an operator (the CLI) writes the commands topics and {@code wharf.deposit.received}, and reads
 *       every topic (without a consumer group: it assigns partitions);</li>
 *   <li>each service reads its inputs with its own consumer group (its service name), writes its events
 *       topic, the dead-letter topics of its inputs and {@code wharf.audit}, and may create and describe
 *       the catalog's topics; some also send commands to others ({@link #commandsSentBy}).</li>
 * </ul>
 * Nobody else writes {@code wharf.audit}. The contract documents ({@code docs/asyncapi.yaml}, the topic
 * table of {@code docs/architecture.md}) take every topic's writers and readers from here.
 */
public final class AclPlan {

    public static final String DEPOSITOR = "depositor";
    public static final String OPERATOR = "operator";

    /** A principal's name and what it may do. */
    public record Grant(String principal, List<AclBinding> bindings) {
    }

    private AclPlan() {
    }

    /** The service that reads a commands topic or alone writes an events topic. */
    public static String serviceOf(Topic commandsOrEvents) {
        return WharfService.of(commandsOrEvents).orElseThrow(
                () -> new IllegalArgumentException(commandsOrEvents.topicName() + " is no service's")).serviceName();
    }

    /** The services, by name, each with the topics it consumes: what the message catalog says it reads. */
    public static Map<String, List<Topic>> serviceInputs() {
        Map<String, List<Topic>> inputs = new LinkedHashMap<>();
        for (WharfService service : WharfService.values()) {
            inputs.put(service.serviceName(), service.inputs());
        }
        return inputs;
    }

    /** The commands topics a service writes besides its own events: the commands it sends to others. */
    public static List<Topic> commandsSentBy(String service) {
        if (service.equals(serviceOf(Topic.SCHEDULER_COMMANDS))) {
            // It fires commands, of any service.
            return Arrays.stream(Topic.values()).filter(t -> t.kind() == Topic.Kind.COMMANDS).toList();
        }
        if (service.equals(serviceOf(Topic.BACKUP_COMMANDS))) {
            // The backup targets' configured schedules are sent to the scheduler as commands.
            return List.of(Topic.SCHEDULER_COMMANDS);
        }
        if (service.equals(serviceOf(Topic.DEPLOY_COMMANDS))) {
            // A deployment backs up before it migrates: it sends RunBackup and waits for the answer.
            return List.of(Topic.BACKUP_COMMANDS);
        }
        if (service.equals(serviceOf(Topic.LOADER_COMMANDS))) {
            // A rescheduled deposit's load is asked of the scheduler (ScheduleOnce firing LoadDeposit).
            return List.of(Topic.SCHEDULER_COMMANDS);
        }
        return List.of();
    }

    /** The principals that may write {@code topic}, in the plan's order (depositor, operator, services). */
    public static List<String> writers(Topic topic) {
        return principalsAllowed(topic, AclOperation.WRITE);
    }

    /** The principals that may read {@code topic}, in the plan's order. */
    public static List<String> readers(Topic topic) {
        return principalsAllowed(topic, AclOperation.READ);
    }

    private static List<String> principalsAllowed(Topic topic, AclOperation operation) {
        return grants().stream()
                .filter(grant -> grant.bindings().stream().anyMatch(b -> b.entry().operation() == operation
                        && b.pattern().resourceType() == ResourceType.TOPIC
                        && b.pattern().patternType() == PatternType.LITERAL
                        && b.pattern().name().equals(topic.topicName())))
                .map(Grant::principal)
                .toList();
    }

    public static List<Grant> grants() {
        List<Grant> grants = new ArrayList<>();
        grants.add(new Grant(DEPOSITOR, List.of(topic(DEPOSITOR, Topic.DEPOSIT_RECEIVED.topicName(), AclOperation.WRITE),
                topic(DEPOSITOR, Topic.DEPOSIT_RECEIVED.topicName(), AclOperation.DESCRIBE))));

        List<AclBinding> operator = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            if (topic.kind() == Topic.Kind.COMMANDS || topic == Topic.DEPOSIT_RECEIVED) {
                operator.add(topic(OPERATOR, topic.topicName(), AclOperation.WRITE));
            }
            operator.add(topic(OPERATOR, topic.topicName(), AclOperation.READ));
            operator.add(topic(OPERATOR, topic.topicName(), AclOperation.DESCRIBE));
        }
        grants.add(new Grant(OPERATOR, operator));

        serviceInputs().forEach((service, inputs) -> {
            List<AclBinding> bindings = new ArrayList<>();
            for (Topic input : inputs) {
                bindings.add(topic(service, input.topicName(), AclOperation.READ));
                bindings.add(topic(service, input.deadLetterTopicName(), AclOperation.WRITE));
            }
            bindings.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, service, PatternType.LITERAL), allow(service, AclOperation.READ)));
            bindings.add(topic(service, eventsOf(service).topicName(), AclOperation.WRITE));
            bindings.add(topic(service, Topic.AUDIT.topicName(), AclOperation.WRITE));
            commandsSentBy(service).forEach(t -> bindings.add(topic(service, t.topicName(), AclOperation.WRITE)));
            // Every service declares the whole catalog (TopicCatalogConfiguration): describe, create if missing.
            for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.CREATE)) {
                bindings.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "wharf.", PatternType.PREFIXED),
                        allow(service, operation)));
            }
            grants.add(new Grant(service, bindings));
        });
        return grants;
    }

    private static Topic eventsOf(String service) {
        return Arrays.stream(WharfService.values()).filter(s -> s.serviceName().equals(service)).findFirst().orElseThrow().events();
    }

    public static List<AclBinding> bindings() {
        return grants().stream().flatMap(grant -> grant.bindings().stream()).toList();
    }

    /** The plan as {@code kafka-acls} command lines, for the README and an operator's shell. */
    public static List<String> commands(String bootstrap, String adminConfig) {
        List<String> lines = new ArrayList<>();
        for (AclBinding binding : bindings()) {
            ResourcePattern resource = binding.pattern();
            String kind = switch (resource.resourceType()) {
                case TOPIC -> "--topic";
                case GROUP -> "--group";
                default -> throw new IllegalStateException("no kafka-acls option for " + resource.resourceType());
            };
            lines.add("kafka-acls.sh --bootstrap-server " + bootstrap + " --command-config " + adminConfig + " --add"
                    + " --allow-principal " + binding.entry().principal() + " --operation " + operationName(binding.entry().operation())
                    + " " + kind + " " + resource.name()
                    + (resource.patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : ""));
        }
        return lines;
    }

    private static String operationName(AclOperation operation) {
        String name = operation.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static AclBinding topic(String principal, String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), allow(principal, operation));
    }

    private static AccessControlEntry allow(String principal, AclOperation operation) {
        return new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW);
    }
}
