package org.wharf.deploy.inventory.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.wharf.deploy.inventory.DeployInventory.InventoryException;

/** A start stopped by the inventory is reported as its one-line reason, not as a stack trace. */
public class InventoryFailureAnalyzer extends AbstractFailureAnalyzer<InventoryException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InventoryException cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct wharf.deploy.applications (see the README, \"Inventory\").", cause);
    }
}
