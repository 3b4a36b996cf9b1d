package org.wharf.scheduler;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.scheduler.firing.JobFollower;
import org.wharf.scheduler.schedule.ScheduleCommands;

/** What the scheduler consumes, and its clock (tests bring their own). */
@Configuration(proxyBeanMethods = false)
public class SchedulerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public Subscriptions schedulerSubscriptions(ScheduleCommands commands, JobFollower jobs) {
        return jobs.subscribe(commands.subscribe(Subscriptions.builder())).build();
    }
}
