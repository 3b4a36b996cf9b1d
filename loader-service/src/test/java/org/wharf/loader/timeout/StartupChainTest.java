package org.wharf.loader.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.common.testsupport.SharedInfrastructure;
import org.wharf.common.timeout.TimeoutChain;
import org.wharf.loader.LoaderApplication;

/** A loader whose consumer would lose a load's partition before the load's deadline does not start. */
class StartupChainTest {

    @Test
    void aLoaderWhosePollIntervalIsShorterThanALoadsDeadlineRefusesToStartAndSaysWhichChain() {
        Throwable failure = catchThrowable(() -> SharedInfrastructure.startService(LoaderApplication.class,
                LoaderApplication.SERVICE_NAME, "loader", Map.of(
                        "spring.kafka.consumer.properties[max.poll.interval.ms]", "600000",
                        "wharf.deadlines[deposit.load]", "1h")).close());
        Throwable cause = failure;
        while (cause != null && !(cause instanceof TimeoutChain.TimeoutChainException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("the start failed on the chain, not on something else: %s", failure).isNotNull();
        assertThat(cause.getMessage()).isEqualTo("timeout chain loader-service.consumer: max.poll.interval.ms 10m must exceed "
                + "deposit.load deadline 1h");
    }

    @Test
    void theShippedConfigurationHoldsItsChains() {
        try (ConfigurableApplicationContext loader = SharedInfrastructure.startService(LoaderApplication.class,
                LoaderApplication.SERVICE_NAME, "loader", Map.of())) {
            assertThat(loader.isRunning()).isTrue();
        }
    }
}
