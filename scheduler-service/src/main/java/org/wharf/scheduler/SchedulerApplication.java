package org.wharf.scheduler;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.wharf.common.WharfApplication;
import org.wharf.common.message.WharfService;

/** Fires commands on cron schedules, exactly once per due time. */
@SpringBootApplication
public class SchedulerApplication {

    public static final String SERVICE_NAME = WharfService.SCHEDULER.serviceName();

    public static void main(String[] args) {
        WharfApplication.run(SchedulerApplication.class, SERVICE_NAME, args);
    }
}
