package org.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wharf.common.testsupport.ServiceBoundaries;

/**
 * The CLI's boundaries, read from its compiled classes (see ServiceBoundaries). It is the outside of
 * the platform, not a service: `wharf local up` runs the services in its JVM and the probe hashes as the
 * loader does, so it may use the services' public packages, never their internals.
 */
class CliBoundariesTest {

    @Test
    void groupsFormNoCycleAndNoServiceInternalIsUsed() {
        assertThat(ServiceBoundaries.of("cli", "checker", "loader", "backup", "deploy", "scheduler")).isEmpty();
    }
}
