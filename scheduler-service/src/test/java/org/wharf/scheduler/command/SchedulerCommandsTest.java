package org.wharf.scheduler.command;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wharf.scheduler.SchedulerApplication;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.testsupport.UnsupportedCommandsCheck;

@SpringBootTest(classes = SchedulerApplication.class, properties = "wharf.service-name=scheduler-service")
class SchedulerCommandsTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.register(registry, "scheduler");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void everyCommandIsAnsweredOnceEvenWhenRedelivered() {
        UnsupportedCommandsCheck.assertEachAnsweredOnce(kafka, Messages.SCHEDULER_COMMANDS, Messages.SCHEDULER_COMMAND_REJECTED);
    }
}
