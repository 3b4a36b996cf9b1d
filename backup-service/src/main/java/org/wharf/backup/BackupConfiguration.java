package org.wharf.backup;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.backup.backup.BackupRuns;
import org.wharf.backup.catalog.Catalog;
import org.wharf.backup.restore.Restores;
import org.wharf.backup.retention.Pins;
import org.wharf.backup.retention.Prunes;
import org.wharf.backup.target.BackupTargets;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;
import org.wharf.common.message.WharfService;
import org.wharf.common.s3.AbandonedUploads;

import software.amazon.awssdk.services.s3.S3Client;

/** What the backup-service consumes, each type with its handler; its targets, clock and the sweep of its abandoned uploads. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackupTargets.class)
public class BackupConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public Subscriptions backupSubscriptions(BackupRuns runs, Restores restores, Prunes prunes, Pins pins) {
        return Subscriptions.of(WharfService.BACKUP)
                .on(Messages.RUN_BACKUP, runs::run)
                .on(Messages.RESTORE_BACKUP, restores::restore)
                .on(Messages.VERIFY_BACKUP, restores::verify)
                .on(Messages.PRUNE_BACKUPS, prunes::prune)
                .on(Messages.PIN_BACKUP, pins::pin)
                .build();
    }

    /** A backup's key is in the catalog, running, before its upload starts: any other upload under backup/ is nobody's. */
    @Bean
    public AbandonedUploads abandonedBackupUploads(S3Client s3, BackupTargets targets, Catalog catalog) {
        return new AbandonedUploads(s3, targets.getBucket(), "backup/", catalog::runningKeys, targets.getAbandonedUploadSweep());
    }
}
