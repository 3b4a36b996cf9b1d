package org.wharf.backup;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.backup.backup.BackupSubscriptions;
import org.wharf.backup.catalog.Catalog;
import org.wharf.backup.target.BackupTargets;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.s3.AbandonedUploads;

import software.amazon.awssdk.services.s3.S3Client;

/** The backup-service's targets, clock, subscriptions and the sweep of its abandoned uploads. */
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

    /** A backup's key is in the catalog, running, before its upload starts: any other upload under backup/ is nobody's. */
    @Bean
    public AbandonedUploads abandonedBackupUploads(S3Client s3, BackupTargets targets, Catalog catalog) {
        return new AbandonedUploads(s3, targets.getBucket(), "backup/", catalog::runningKeys, targets.getAbandonedUploadSweep());
    }
}
