package org.wharf.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wharf.common.testsupport.ServiceBoundaries;

/** The backup-service's boundaries, read from its compiled classes (see ServiceBoundaries). */
class BackupBoundariesTest {

    @Test
    void capabilitiesFormNoCycleInternalsStayInTheirCapabilityAndNoOtherServiceIsUsed() {
        assertThat(ServiceBoundaries.of("backup")).isEmpty();
    }
}
