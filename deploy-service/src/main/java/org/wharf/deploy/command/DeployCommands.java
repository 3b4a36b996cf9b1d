package org.wharf.deploy.command;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.deploy.DeployApplication;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.message.Messages;

/** The commands on {@code wharf.deploy.commands}. None is carried out yet: each gets a CommandRejected answer. */
@Configuration(proxyBeanMethods = false)
public class DeployCommands {

    @Bean
    public Subscriptions deploySubscriptions() {
        return UnsupportedCommands.answer(Subscriptions.builder(), java.util.List.of(Messages.DEPLOY, Messages.ROLLBACK, Messages.UNLOCK_DEPLOY), Messages.DEPLOY_COMMAND_REJECTED,
                DeployApplication.SERVICE_NAME).build();
    }
}
