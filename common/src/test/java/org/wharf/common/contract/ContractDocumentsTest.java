package org.wharf.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.topic.Topic;
import org.yaml.snakeyaml.Yaml;

/**
 * The committed contract documents are what the catalogs generate: a catalog changed without
 * regenerating them fails here, saying how to. Run with {@code -Dwharf.contract.write=true}, this test
 * writes them first (then checks them like any run). Maven runs it in {@code common/}: the documents are
 * in {@code ../docs}.
 */
class ContractDocumentsTest {

    static final ContractDocuments DOCUMENTS = new ContractDocuments(Path.of("..", "docs"));

    static Map<String, Object> document;

    @BeforeAll
    static void writeWhenAskedThenParse() throws IOException {
        if (Boolean.getBoolean("wharf.contract.write")) {
            DOCUMENTS.write();
        }
        document = new Yaml().load(ContractDocuments.read(DOCUMENTS.asyncApiFile()));
    }

    @Test
    void theCommittedAsyncApiDocumentIsTheGeneratedOne() throws IOException {
        assertSame("docs/asyncapi.yaml", ContractDocuments.read(DOCUMENTS.asyncApiFile()), DOCUMENTS.expectedAsyncApi());
    }

    @Test
    void theCommittedTopicTableIsTheGeneratedOne() throws IOException {
        String committed = ContractDocuments.read(DOCUMENTS.architectureFile());
        assertThat(committed).as("docs/architecture.md's topic table markers").contains(TopicTable.BEGIN, TopicTable.END);
        assertSame("docs/architecture.md's topic table", committed, DOCUMENTS.expectedArchitecture());
    }

    @Test
    void everyTopicIsAChannelCarryingItsCatalogMessages() {
        Map<String, Object> channels = map(document, "channels");
        assertThat(channels.keySet()).containsExactlyElementsOf(
                Arrays.stream(Topic.values()).map(Topic::topicName).toList());
        for (Topic topic : Topic.values()) {
            Map<String, Object> channel = map(channels, topic.topicName());
            assertThat(channel.get("address")).isEqualTo(topic.topicName());
            Set<String> expected = Messages.all().stream()
                    .filter(type -> topic == Topic.AUDIT || type.topic() == topic)
                    .map(MessageType::type).collect(Collectors.toSet());
            assertThat(map(channel, "messages").keySet()).as("messages of %s", topic.topicName())
                    .containsExactlyInAnyOrderElementsOf(expected);
            map(channel, "messages").values().forEach(reference -> assertThat(resolve(reference)).isNotNull());
        }
        assertThat(map(map(document, "channels"), Topic.AUDIT.topicName(), "messages")).hasSameSizeAs(Messages.all());
    }

    @Test
    void everyMessageOfTheCatalogIsAComponentWithHeadersKeyAndPayload() {
        Map<String, Object> messages = map(document, "components", "messages");
        assertThat(messages.keySet()).containsExactlyInAnyOrderElementsOf(Messages.all().stream().map(MessageType::type).toList());
        for (MessageType<?> type : Messages.all()) {
            Map<String, Object> message = map(messages, type.type());
            assertThat(message.get("name")).isEqualTo(type.type());
            assertThat(map(message, "payload").get("type")).as("payload of %s", type.type()).isEqualTo("object");
            assertThat(map(message, "payload", "properties")).as("payload of %s", type.type()).isNotEmpty();
            assertThat(map(message, "bindings", "kafka", "key").get("description")).isEqualTo(type.topic().key());
            Map<String, Object> headers = map(resolve(message.get("headers")), "properties");
            assertThat(headers).containsKeys("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                    "ce_correlationid", "ce_causationid", "ce_actor", "content-type");
            assertThat(headers.containsKey("ce_deadline")).as("%s carries a deadline", type.type())
                    .isEqualTo(type.topic().kind() == Topic.Kind.COMMANDS);
        }
    }

    @Test
    void theDocumentHasTheShapeAsyncApi3Requires() throws IOException {
        assertThat(ContractDocuments.read(DOCUMENTS.asyncApiFile())).as("YAML anchors or aliases (a map written twice)")
                .doesNotContainPattern("(?m)(: |- )[&*]id\\d+");
        assertThat(document.get("asyncapi")).isEqualTo("3.0.0");
        assertThat(map(document, "info").get("title")).isEqualTo("Wharf");
        assertThat((String) map(document, "info").get("version")).isNotBlank().doesNotStartWith("@");
        map(document, "servers").values().forEach(server ->
                assertThat(((Map<?, ?>) server).get("protocol")).isEqualTo("kafka"));
        Map<String, Object> operations = map(document, "operations");
        assertThat(operations).isNotEmpty();
        operations.forEach((id, value) -> {
            Map<?, ?> operation = (Map<?, ?>) value;
            assertThat(operation.get("action")).as("action of %s", id).isIn("send", "receive");
            assertThat(resolve(operation.get("channel"))).as("channel of %s", id).isNotNull();
            assertThat(((Map<?, ?>) operation.get("channel")).get("$ref").toString()).startsWith("#/channels/");
        });
    }

    @Test
    void theOperationsAreTheAclPlansWritersAndReaders() {
        for (Topic topic : Topic.values()) {
            assertThat(principals("send", topic)).as("writers of %s", topic.topicName())
                    .containsExactlyElementsOf(AclPlan.writers(topic));
            assertThat(principals("receive", topic)).as("readers of %s", topic.topicName())
                    .containsExactlyElementsOf(AclPlan.readers(topic)).contains(AclPlan.OPERATOR);
        }
        List<String> services = List.copyOf(AclPlan.serviceInputs().keySet());
        assertThat(principals("send", Topic.AUDIT)).containsExactlyElementsOf(services);
        assertThat(principals("send", Topic.DEPOSIT_RECEIVED)).containsExactly(AclPlan.DEPOSITOR, AclPlan.OPERATOR);
        assertThat(principals("send", Topic.CHECKER_EVENTS)).containsExactly("checker-service");
        // the loader asks the scheduler for a rescheduled deposit's load; the backup-service sends its targets' schedules
        assertThat(principals("send", Topic.SCHEDULER_COMMANDS)).containsExactlyInAnyOrder(AclPlan.OPERATOR,
                "loader-service", "backup-service", "scheduler-service");
        assertThat(principals("send", Topic.BACKUP_COMMANDS)).containsExactlyInAnyOrder(AclPlan.OPERATOR,
                "deploy-service", "scheduler-service");
        assertThat(principals("receive", Topic.DEPOSIT_RECEIVED)).containsExactlyInAnyOrder(AclPlan.OPERATOR, "checker-service");
        assertThat(principals("receive", Topic.AUDIT)).containsExactly(AclPlan.OPERATOR);
        Map<String, Object> checkerReads = map(document, "operations",
                AsyncApiDocument.operationId("checker-service", "receive", Topic.DEPOSIT_RECEIVED));
        assertThat(map(checkerReads, "bindings", "kafka", "groupId").get("enum")).isEqualTo(List.of("checker-service"));
    }

    @Test
    void aServicesReceiveOperationListsTheMessagesTheCatalogSaysItHandles() {
        Map<String, Object> deployReadsBackups = map(document, "operations",
                AsyncApiDocument.operationId("deploy-service", "receive", Topic.BACKUP_EVENTS));
        assertThat(((List<?>) deployReadsBackups.get("messages")).stream().map(reference -> (Object) ((Map<?, ?>) reference).get("$ref")).toList())
                .containsExactly((Object) "#/channels/wharf.backup.events/messages/" + Messages.BACKUP_COMPLETED.type(),
                        "#/channels/wharf.backup.events/messages/" + Messages.BACKUP_FAILED.type(),
                        "#/channels/wharf.backup.events/messages/" + Messages.BACKUP_COMMAND_REJECTED.type());
        ((List<?>) deployReadsBackups.get("messages")).forEach(reference -> assertThat(resolve(reference)).isNotNull());
        // the scheduler follows the backup events whole: every one of them
        Map<String, Object> schedulerReadsBackups = map(document, "operations",
                AsyncApiDocument.operationId("scheduler-service", "receive", Topic.BACKUP_EVENTS));
        assertThat((List<?>) schedulerReadsBackups.get("messages")).hasSize(AsyncApiDocument.messagesOn(Topic.BACKUP_EVENTS).size());
    }

    @Test
    void theMessageTableHasARowPerTypeWithItsWriterAndHandlers() {
        String table = MessageTable.markdown();
        for (MessageType<?> type : Messages.all()) {
            assertThat(table).contains("| `" + type.type() + "` | `" + type.topic().topicName() + "` | ");
        }
        assertThat(table).contains("| `" + Messages.RUN_BACKUP.type() + "` | `wharf.backup.commands` | operators (`wharf`), "
                + "deploy-service, scheduler-service | backup-service | RunBackup | ");
        assertThat(table).contains("| `" + Messages.DEPOSIT_LOADED.type() + "` | `wharf.loader.events` | loader-service | scheduler-service | ");
    }

    @Test
    void theTopicTableHasARowPerTopicWithItsWritersReadersKeyAndRetention() {
        String table = TopicTable.markdown();
        for (Topic topic : Topic.values()) {
            List<String> rows = table.lines().filter(line -> line.startsWith("| `" + topic.topicName() + "` |")).toList();
            assertThat(rows).as("row of %s", topic.topicName()).hasSize(1);
            assertThat(rows.get(0)).contains("| " + topic.key() + " |", "| " + topic.defaultRetention().toDays() + " d |",
                    Parties.described(AclPlan.writers(topic)));
        }
        assertThat(table).contains("| `wharf.audit` | audit | every service | operators (`wharf`) |",
                "| `wharf.deposit.received` | events | depositing systems, operators (`wharf`) |",
                "| `<topic>-dlt` |");
    }

    @Test
    void theTableReplacesOnlyWhatIsBetweenItsMarkers() {
        String markdown = "before\n" + TopicTable.BEGIN + "\n| stale |\n" + TopicTable.END + "\nafter\n";
        String spliced = TopicTable.spliceInto(markdown);
        assertThat(spliced).startsWith("before\n" + TopicTable.BEGIN).endsWith(TopicTable.END + "\nafter\n")
                .doesNotContain("| stale |").contains("| `wharf.audit` |");
        assertThat(TopicTable.spliceInto(spliced)).isEqualTo(spliced);
        assertThatThrownBy(() -> TopicTable.spliceInto("no table here"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no generated topic table");
    }

    /** Fails with the regeneration command and the first line that differs. */
    private static void assertSame(String what, String committed, String generated) {
        if (committed.equals(generated)) {
            return;
        }
        List<String> a = committed.lines().toList();
        List<String> b = generated.lines().toList();
        int line = 0;
        while (line < a.size() && line < b.size() && a.get(line).equals(b.get(line))) {
            line++;
        }
        fail(what + " is stale: run " + ContractDocuments.REGENERATE + " (first difference at line " + (line + 1)
                + ": committed «" + (line < a.size() ? a.get(line) : "<end>") + "», generated «"
                + (line < b.size() ? b.get(line) : "<end>") + "»)");
    }

    private static List<String> principals(String action, Topic topic) {
        return map(document, "operations").entrySet().stream()
                .filter(e -> action.equals(((Map<?, ?>) e.getValue()).get("action")))
                .filter(e -> ((Map<?, ?>) ((Map<?, ?>) e.getValue()).get("channel")).get("$ref")
                        .equals("#/channels/" + topic.topicName()))
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('.')))
                .toList();
    }

    /** The object a {@code $ref} points at in the document, or null. */
    private static Map<String, Object> resolve(Object reference) {
        String pointer = (String) ((Map<?, ?>) reference).get("$ref");
        assertThat(pointer).startsWith("#/");
        Object at = document;
        // names here hold no '/' or '~' (topic names, ce_types): a pointer's segments need no unescaping
        for (String segment : pointer.substring(2).split("/")) {
            at = at instanceof Map<?, ?> m ? m.get(segment) : null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> found = (Map<String, Object>) at;
        return found;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> from, String... path) {
        Map<String, Object> at = from;
        for (String key : path) {
            assertThat(at).as("the document at %s", String.join(".", path)).containsKey(key);
            at = (Map<String, Object>) at.get(key);
        }
        return at;
    }
}
