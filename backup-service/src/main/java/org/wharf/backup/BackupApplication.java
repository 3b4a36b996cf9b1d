package org.wharf.backup;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.wharf.common.WharfApplication;
import org.wharf.common.message.WharfService;

/** Streams pg_dump and directory backups to S3; retention, verification and restore. */
@SpringBootApplication
public class BackupApplication {

    public static final String SERVICE_NAME = WharfService.BACKUP.serviceName();

    public static void main(String[] args) {
        WharfApplication.run(BackupApplication.class, SERVICE_NAME, args);
    }
}
