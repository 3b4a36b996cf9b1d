package org.wharf.deploy.deployment;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.wharf.common.message.deploy.DeployTarget;
import org.wharf.deploy.deployment.Deployments.Deployment;
import org.wharf.deploy.plan.DeploymentPlan;

/**
 * One deployment being carried out: its row, its plan, the commit its first fetch resolved (every other
 * host must check out the same one), and whether the service is stopping under it.
 */
final class Rollout {

    private final Deployment deployment;
    private final DeploymentPlan plan;
    private final AtomicReference<String> commit = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    Rollout(Deployment deployment, DeploymentPlan plan) {
        this.deployment = deployment;
        this.plan = plan;
    }

    Deployment deployment() {
        return deployment;
    }

    DeploymentPlan plan() {
        return plan;
    }

    String id() {
        return deployment.id();
    }

    String key() {
        return DeployTarget.key(deployment.application(), deployment.environment());
    }

    /** The commit of the deployment: the first host's, which every later one must match; answers the first. */
    String pinCommit(String fetched) {
        commit.compareAndSet(null, fetched);
        return commit.get();
    }

    String commit() {
        return commit.get();
    }

    void stop() {
        stopping.set(true);
    }

    boolean stopping() {
        return stopping.get();
    }
}
