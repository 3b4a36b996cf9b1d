package org.wharf.cli.deploy;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.wharf.cli.support.EventFold;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deploy.DeployCompleted;
import org.wharf.common.message.deploy.DeployFailed;
import org.wharf.common.message.deploy.DeployStarted;
import org.wharf.common.message.deploy.RolledBack;

/**
 * The release log of one application/environment, folded from its deploy events in topic order as the
 * deploy contract says: a deploy's DeployStarted creates its release (when, who, ref); DeployCompleted
 * makes it good and current (its commit, its hosts); DeployFailed means it never went live; a RolledBack
 * of a failed deploy marks it bad and its toRelease current; a requested RolledBack makes toRelease current.
 */
final class ReleaseLog implements EventFold {

    /**
     * @param state {@code deploying}, {@code good}, {@code bad} (failed after its switch: never chosen by a
     *              rollback), or {@code failed} (never went live); null for a release older than the events kept
     */
    record Release(String release, Instant when, String who, String ref, String commit, List<String> hosts, ReleaseState state,
                   boolean current) {
    }

    private final Map<String, Release> releases = new HashMap<>();
    /** Which release a deployment puts live: DeployCompleted and DeployFailed name the release too, this covers a blank one. */
    private final Map<String, String> releaseOf = new HashMap<>();
    private String current;

    static ReleaseLog of(Iterable<Envelope> envelopes) {
        return EventFold.of(new ReleaseLog(), envelopes);
    }

    /** Newest first: release names are UTC yyyyMMddHHmmss, so their order is their time's. */
    List<Release> releases() {
        return releases.values().stream()
                .map(r -> new Release(r.release(), r.when(), r.who(), r.ref(), r.commit(), r.hosts(), r.state(), r.release().equals(current)))
                .sorted(Comparator.comparing(Release::release).reversed())
                .toList();
    }

    @Override
    public void applyReadable(Envelope e) {
        if (DeployService.is(e, Messages.DEPLOY_STARTED)) {
            DeployStarted s = Messages.DEPLOY_STARTED.read(e);
            if (DeployStarted.DEPLOY.equals(s.kind()) && s.release() != null) {
                releases.put(s.release(), new Release(s.release(), s.startedAt(), e.actor(), s.ref(), null, s.hosts(),
                        ReleaseState.DEPLOYING, false));
                releaseOf.put(s.deploymentId(), s.release());
            }
        } else if (DeployService.is(e, Messages.DEPLOY_COMPLETED)) {
            DeployCompleted c = Messages.DEPLOY_COMPLETED.read(e);
            if (DeployStarted.ROLLBACK.equals(c.kind())) {
                current = c.release();
                return;
            }
            Release r = known(c.release());
            releases.put(r.release(), new Release(r.release(), r.when(), r.who(), c.ref() != null ? c.ref() : r.ref(), c.commit(),
                    c.hosts(), ReleaseState.GOOD, false));
            current = r.release();
        } else if (DeployService.is(e, Messages.DEPLOY_FAILED)) {
            DeployFailed f = Messages.DEPLOY_FAILED.read(e);
            String name = f.release() != null ? f.release() : releaseOf.get(f.deploymentId());
            // A failed rollback changes no release; a failed deploy's release never went live.
            if (!DeployStarted.ROLLBACK.equals(f.kind()) && name != null && releases.containsKey(name)) {
                releases.computeIfPresent(name, (n, r) -> withState(r, ReleaseState.FAILED));
            }
        } else if (DeployService.is(e, Messages.ROLLED_BACK)) {
            RolledBack r = Messages.ROLLED_BACK.read(e);
            if (!r.requested() && r.fromRelease() != null) {
                releases.put(r.fromRelease(), withState(known(r.fromRelease()), ReleaseState.BAD));
            }
            if (r.toRelease() != null) {
                known(r.toRelease());
                current = r.toRelease();
            }
        }
    }

    /** The release of that name; one the log does not know (deployed before the events kept) is added with what is known: its name. */
    private Release known(String name) {
        return releases.computeIfAbsent(name, n -> new Release(n, null, null, null, null, List.of(), null, false));
    }

    private static Release withState(Release r, ReleaseState state) {
        return new Release(r.release(), r.when(), r.who(), r.ref(), r.commit(), r.hosts(), state, false);
    }
}
