package org.wharf.deploy;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;
import org.wharf.common.message.WharfService;
import org.wharf.deploy.backup.BackupBeforeMigrate;
import org.wharf.deploy.deployment.DeployRequests;

/**
 * What the deploy-service consumes: its commands, and the backup-service's answers to the backups it asks
 * for before a migration.
 */
@Configuration(proxyBeanMethods = false)
public class DeployConfiguration {

    @Bean
    public Subscriptions deploySubscriptions(DeployRequests requests, BackupBeforeMigrate backups) {
        return Subscriptions.of(WharfService.DEPLOY)
                .on(Messages.DEPLOY, requests::deploy)
                .on(Messages.ROLLBACK, requests::rollback)
                .on(Messages.UNLOCK_DEPLOY, requests::unlock)
                .on(Messages.BACKUP_COMPLETED, backups::completed)
                .on(Messages.BACKUP_FAILED, backups::failed)
                .on(Messages.BACKUP_COMMAND_REJECTED, backups::rejected)
                .build();
    }
}
