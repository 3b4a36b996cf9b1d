package org.wharf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wharf.common.testsupport.ServiceBoundaries;

/** The deploy-service's boundaries, read from its compiled classes (see ServiceBoundaries). */
class DeployBoundariesTest {

    @Test
    void capabilitiesFormNoCycleInternalsStayInTheirCapabilityAndNoOtherServiceIsUsed() {
        assertThat(ServiceBoundaries.of("deploy")).isEmpty();
    }
}
