package org.wharf.cli.deploy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.EventFold;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.RolledBack;
import org.wharf.common.message.deploy.StepFinished;
import org.wharf.common.message.deploy.StepStarted;

/**
 * The deployments of one application/environment, folded from its deploy events in topic order: a
 * DeployStarted begins one (keyed by its deploymentId), its steps and its end (DeployCompleted,
 * DeployFailed, RolledBack) follow. Dry runs (DeployPlanned), refusals and unlocks are no deployment.
 */
public final class DeploymentLog implements EventFold {

    private final Map<String, Draft> byId = new LinkedHashMap<>();
    private Draft newest;

    /** The deployments of APP ENV, from every deploy event of its key. */
    public static DeploymentLog of(Cli cli, String application, String environment) {
        return of(DeployService.events(cli, DeployService.key(application, environment)));
    }

    static DeploymentLog of(Iterable<Envelope> envelopes) {
        return EventFold.of(new DeploymentLog(), envelopes);
    }

    /** The deployment begun last, as far as its events go. */
    public Optional<Deployment> newest() {
        return Optional.ofNullable(newest).map(Draft::deployment);
    }

    /** The deployment begun last among those that ended. */
    public Optional<Deployment> newestEnded() {
        return byId.values().stream().map(Draft::deployment).filter(Deployment::ended).reduce((older, newer) -> newer);
    }

    Optional<Deployment> find(String deploymentId) {
        return Optional.ofNullable(byId.get(deploymentId)).map(Draft::deployment);
    }

    @Override
    public void applyReadable(Envelope e) {
        if (DeployService.is(e, Messages.DEPLOY_STARTED)) {
            DeployStarted s = Messages.DEPLOY_STARTED.read(e);
            Draft draft = new Draft(s, e.actor());
            byId.put(s.deploymentId(), draft);
            newest = draft;
        } else if (DeployService.is(e, Messages.STEP_STARTED)) {
            StepStarted s = Messages.STEP_STARTED.read(e);
            Draft draft = byId.get(s.deploymentId());
            if (draft != null) {
                draft.steps.put(s.host() + " " + s.step(),
                        new Deployment.Step(s.host(), s.step(), StepStatus.RUNNING, null, null, null, null));
            }
        } else if (DeployService.is(e, Messages.STEP_FINISHED)) {
            StepFinished f = Messages.STEP_FINISHED.read(e);
            Draft draft = byId.get(f.deploymentId());
            if (draft != null) {
                // put keeps a started step's place; a step whose StepStarted was not seen is added last
                draft.steps.put(f.host() + " " + f.step(), new Deployment.Step(f.host(), f.step(), StepStatus.finished(f.succeeded()),
                        f.exitStatus(), f.durationMillis(), f.outputTail(), f.reason()));
            }
        } else if (DeployService.is(e, Messages.DEPLOY_COMPLETED)) {
            DeployCompleted c = Messages.DEPLOY_COMPLETED.read(e);
            Draft draft = byId.get(c.deploymentId());
            if (draft != null) {
                draft.outcome = DeploymentOutcome.COMPLETED;
                draft.commit = c.commit();
                draft.hosts = c.hosts();
                draft.failedHosts = c.failedHosts();
                draft.durationMillis = c.durationMillis();
            }
        } else if (DeployService.is(e, Messages.DEPLOY_FAILED)) {
            DeployFailed f = Messages.DEPLOY_FAILED.read(e);
            Draft draft = byId.get(f.deploymentId());
            if (draft != null) {
                draft.outcome = DeploymentOutcome.FAILED;
                draft.reason = f.reason();
                draft.host = f.host();
                draft.step = f.step();
            }
        } else if (DeployService.is(e, Messages.ROLLED_BACK)) {
            RolledBack r = Messages.ROLLED_BACK.read(e);
            Draft draft = byId.get(r.deploymentId());
            if (draft != null) {
                draft.outcome = r.requested() ? DeploymentOutcome.COMPLETED : DeploymentOutcome.ROLLED_BACK;
                draft.fromRelease = r.fromRelease();
                draft.toRelease = r.toRelease();
                draft.reason = r.reason();
                draft.host = r.host();
                draft.step = r.step();
            }
        }
    }

    /** A deployment while its events come in. */
    private static final class Draft {
        private final DeployStarted started;
        private final String actor;
        private final Map<String, Deployment.Step> steps = new LinkedHashMap<>();
        private DeploymentOutcome outcome = DeploymentOutcome.RUNNING;
        private List<String> hosts;
        private String reason;
        private String host;
        private String step;
        private String commit;
        private String fromRelease;
        private String toRelease;
        private Map<String, String> failedHosts = Map.of();
        private Long durationMillis;

        Draft(DeployStarted started, String actor) {
            this.started = started;
            this.actor = actor;
            this.hosts = started.hosts();
        }

        Deployment deployment() {
            Instant startedAt = started.startedAt();
            return new Deployment(started.deploymentId(), started.application(), started.environment(), started.kind(),
                    started.ref(), started.release(), actor, startedAt, hosts, outcome, reason, host, step, commit, fromRelease,
                    toRelease, failedHosts, durationMillis, List.copyOf(steps.values()));
        }
    }
}
