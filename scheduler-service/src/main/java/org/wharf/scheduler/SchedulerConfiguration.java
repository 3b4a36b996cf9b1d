package org.wharf.scheduler;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;
import org.wharf.common.message.WharfService;
import org.wharf.scheduler.firing.JobFollower;
import org.wharf.scheduler.schedule.ScheduleCommands;

/** What the scheduler consumes, each type with its handler, and its clock (tests bring their own). */
@Configuration(proxyBeanMethods = false)
public class SchedulerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public Subscriptions schedulerSubscriptions(ScheduleCommands commands, JobFollower jobs) {
        return Subscriptions.of(WharfService.SCHEDULER)
                .on(Messages.CREATE_SCHEDULE, commands::create)
                .on(Messages.UPDATE_SCHEDULE, commands::update)
                .on(Messages.PAUSE_SCHEDULE, commands::pause)
                .on(Messages.RESUME_SCHEDULE, commands::resume)
                .on(Messages.DELETE_SCHEDULE, commands::delete)
                .on(Messages.RUN_SCHEDULE, commands::runNow)
                .on(Messages.SCHEDULE_ONCE, commands::once)
                // the other services' events, to see the jobs it fired end
                .onEveryRecordOf(Messages.followedWholeBy(WharfService.SCHEDULER), jobs::seen)
                .build();
    }
}
