package org.wharf.backup.command;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.backup.BackupApplication;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.message.Messages;

/** The commands on {@code wharf.backup.commands}. None is carried out yet: each gets a CommandRejected answer. */
@Configuration(proxyBeanMethods = false)
public class BackupCommands {

    @Bean
    public Subscriptions backupSubscriptions() {
        return UnsupportedCommands.answer(Subscriptions.builder(), Messages.BACKUP_COMMANDS, Messages.BACKUP_COMMAND_REJECTED,
                BackupApplication.SERVICE_NAME).build();
    }
}
