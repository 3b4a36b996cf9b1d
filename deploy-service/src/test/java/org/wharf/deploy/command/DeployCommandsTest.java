package org.wharf.deploy.command;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wharf.deploy.DeployApplication;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.testsupport.UnsupportedCommandsCheck;

@SpringBootTest(classes = DeployApplication.class, properties = "wharf.service-name=deploy-service")
class DeployCommandsTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.register(registry, "deploy");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void everyCommandIsAnsweredOnceEvenWhenRedelivered() {
        UnsupportedCommandsCheck.assertEachAnsweredOnce(kafka, Messages.DEPLOY_COMMANDS, Messages.DEPLOY_COMMAND_REJECTED);
    }
}
