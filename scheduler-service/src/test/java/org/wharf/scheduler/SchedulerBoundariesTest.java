package org.wharf.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wharf.common.testsupport.ServiceBoundaries;

/** The scheduler-service's boundaries, read from its compiled classes (see ServiceBoundaries). */
class SchedulerBoundariesTest {

    @Test
    void capabilitiesFormNoCycleInternalsStayInTheirCapabilityAndNoOtherServiceIsUsed() {
        assertThat(ServiceBoundaries.of("scheduler")).isEmpty();
    }
}
