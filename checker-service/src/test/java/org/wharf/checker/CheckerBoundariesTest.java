package org.wharf.checker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wharf.common.testsupport.ServiceBoundaries;

/** The checker-service's boundaries, read from its compiled classes (see ServiceBoundaries). */
class CheckerBoundariesTest {

    @Test
    void capabilitiesFormNoCycleInternalsStayInTheirCapabilityAndNoOtherServiceIsUsed() {
        assertThat(ServiceBoundaries.of("checker")).isEmpty();
    }
}
