package org.wharf.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;

/** common's own boundaries, and the check itself finding each kind of violation (fixture classes under org.wharf.fixture). */
class ServiceBoundariesTest {

    @Test
    void commonHasNoCycleAndUsesNoService() {
        assertThat(ServiceBoundaries.of("common")).isEmpty();
    }

    @Test
    void theCheckFindsACycleAUseOfAnotherCapabilitysInternalAndAnotherModule() {
        var classes = new ClassFileImporter().importPackages("org.wharf.fixture", "org.wharf.otherfixture");
        assertThat(ServiceBoundaries.violations(classes, "org.wharf.fixture.boundaries")).containsExactlyInAnyOrder(
                "cycle between capabilities: a -> b -> a",
                "org.wharf.fixture.boundaries.a.Front uses org.wharf.fixture.boundaries.c.internal.Hidden, internal to org.wharf.fixture.boundaries.c",
                "org.wharf.fixture.boundaries.a.Front uses org.wharf.otherfixture.Elsewhere, of another module");
        assertThat(ServiceBoundaries.violations(classes, "org.wharf.fixture.boundaries", "otherfixture"))
                .as("a module named as usable is no violation").hasSize(2);
    }
}
