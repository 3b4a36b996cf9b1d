package org.wharf.checker;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.checker.client.Clients;
import org.wharf.checker.deposit.DepositChecker;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;
import org.wharf.common.message.WharfService;

/** What the checker consumes, each type with its handler. */
@Configuration(proxyBeanMethods = false)
public class CheckerConfiguration {

    @Bean
    public Subscriptions checkerSubscriptions(DepositChecker deposits, Clients clients) {
        return Subscriptions.of(WharfService.CHECKER)
                .on(Messages.DEPOSIT_RECEIVED, deposits::check)
                .on(Messages.CREATE_CLIENT, clients::create)
                .on(Messages.CHECK_DEPOSIT, deposits::checkAgain)
                .build();
    }
}
