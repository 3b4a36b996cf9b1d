package org.wharf.scheduler.command;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.scheduler.SchedulerApplication;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.message.Messages;

/** The commands on {@code wharf.scheduler.commands}. None is carried out yet: each gets a CommandRejected answer. */
@Configuration(proxyBeanMethods = false)
public class SchedulerCommands {

    @Bean
    public Subscriptions schedulerSubscriptions() {
        return UnsupportedCommands.answer(Subscriptions.builder(), Messages.SCHEDULER_COMMANDS, Messages.SCHEDULER_COMMAND_REJECTED,
                SchedulerApplication.SERVICE_NAME).build();
    }
}
