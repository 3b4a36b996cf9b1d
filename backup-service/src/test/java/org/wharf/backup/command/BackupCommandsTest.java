package org.wharf.backup.command;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wharf.backup.BackupApplication;
import org.wharf.common.message.Messages;
import org.wharf.common.testsupport.KafkaTestClient;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.testsupport.UnsupportedCommandsCheck;

@SpringBootTest(classes = BackupApplication.class, properties = "wharf.service-name=backup-service")
class BackupCommandsTest {

    private static final KafkaTestClient kafka = KafkaTestClient.shared();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfrastructure.register(registry, "backup");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void everyCommandIsAnsweredOnceEvenWhenRedelivered() {
        UnsupportedCommandsCheck.assertEachAnsweredOnce(kafka, Messages.BACKUP_COMMANDS, Messages.BACKUP_COMMAND_REJECTED);
    }
}
