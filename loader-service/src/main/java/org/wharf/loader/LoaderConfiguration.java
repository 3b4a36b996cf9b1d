package org.wharf.loader;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;
import org.wharf.common.message.WharfService;
import org.wharf.loader.deposit.DepositLoader;

/** What the loader consumes, each type with its handler. */
@Configuration(proxyBeanMethods = false)
public class LoaderConfiguration {

    @Bean
    public Subscriptions loaderSubscriptions(DepositLoader deposits) {
        return Subscriptions.of(WharfService.LOADER)
                .on(Messages.DEPOSIT_VERIFIED, deposits::load)
                .on(Messages.LOAD_DEPOSIT, deposits::loadAgain)
                .on(Messages.RESCHEDULE_DEPOSIT, deposits::reschedule)
                .build();
    }
}
