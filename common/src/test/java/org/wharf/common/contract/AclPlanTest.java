package org.wharf.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;
import org.wharf.common.topic.Topic;

class AclPlanTest {

    static final String BOOTSTRAP = "$BOOTSTRAP";
    static final String ADMIN_CONFIG = "admin.properties";

    @Test
    void onlyTheServicesWriteTheAuditTrail() {
        assertThat(AclPlan.bindings().stream()
                .filter(b -> b.entry().operation() == AclOperation.WRITE && b.pattern().name().equals(Topic.AUDIT.topicName()))
                .map(b -> b.entry().principal()).distinct())
                .containsExactlyInAnyOrderElementsOf(AclPlan.serviceInputs().keySet().stream().map(s -> "User:" + s).toList());
    }

    @Test
    void aDepositingSystemWritesOnlyTheDepositsTopic() {
        assertThat(AclPlan.bindings().stream()
                .filter(b -> b.entry().principal().equals("User:" + AclPlan.DEPOSITOR) && b.entry().operation() == AclOperation.WRITE)
                .map(AclBinding::pattern).map(p -> p.name())).containsExactly(Topic.DEPOSIT_RECEIVED.topicName());
    }

    @Test
    void theReadmeGivesThePlanAsItIsInCode() throws Exception {
        String block = String.join("\n", AclPlan.commands(BOOTSTRAP, ADMIN_CONFIG));
        Files.writeString(Path.of("target", "acl-plan.txt"), block + "\n");
        assertThat(Files.readString(Path.of("..", "README.md"))).as("README.md's ACL plan (see target/acl-plan.txt)").contains(block);
    }
}
