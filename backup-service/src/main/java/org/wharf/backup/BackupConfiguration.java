package org.wharf.backup;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.backup.backup.BackupSubscriptions;
import org.wharf.backup.target.BackupTargets;
import org.wharf.common.consumer.Subscriptions;

/** The backup-service's targets, clock and subscriptions. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackupTargets.class)
public class BackupConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public Subscriptions backupServiceSubscriptions(BackupSubscriptions subscriptions) {
        return subscriptions.build();
    }
}
