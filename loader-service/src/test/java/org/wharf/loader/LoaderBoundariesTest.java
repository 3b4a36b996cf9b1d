package org.wharf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wharf.common.testsupport.ServiceBoundaries;

/** The loader-service's boundaries, read from its compiled classes (see ServiceBoundaries). */
class LoaderBoundariesTest {

    @Test
    void capabilitiesFormNoCycleInternalsStayInTheirCapabilityAndNoOtherServiceIsUsed() {
        assertThat(ServiceBoundaries.of("loader")).isEmpty();
    }
}
