package org.wharf.cli.deposit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.CheckDetails;
import org.wharf.common.message.deposit.DepositLoadFailed;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.DepositVerified;

/**
 * A deposit's status: the fold of its records on the received, checker and loader topics, with the
 * statuses of Software Heritage's deposit service (deposited, verified, rejected, loading, done, failed).
 */
public record DepositStatus(String depositId, DepositState status, List<Step> history, CheckDetails problems,
                            CheckDetails warnings, String directory, String release, String snapshot,
                            String originUrl, String context, String reason) {

    public record Step(DepositState status, Instant time, String type, String id, String actor) {
    }

    public boolean finished() {
        return status == DepositState.REJECTED || status == DepositState.DONE || status == DepositState.FAILED;
    }

    /** Rejected, or its load failed. */
    public boolean endedBadly() {
        return status == DepositState.REJECTED || status == DepositState.FAILED;
    }

    public boolean succeeded() {
        return status == DepositState.DONE;
    }

    public static DepositStatus fold(String depositId, List<Envelope> envelopes) {
        List<Envelope> ordered = new ArrayList<>(envelopes);
        ordered.sort(Comparator.comparing(Envelope::time));
        DepositState status = DepositState.UNKNOWN;
        List<Step> history = new ArrayList<>();
        CheckDetails problems = CheckDetails.NONE;
        CheckDetails warnings = CheckDetails.NONE;
        String directory = null, release = null, snapshot = null, origin = null, context = null, reason = null;
        for (Envelope e : ordered) {
            String type = e.type();
            DepositState next;
            if (Messages.DEPOSIT_RECEIVED.is(type)) {
                next = DepositState.DEPOSITED;
                origin = Messages.DEPOSIT_RECEIVED.read(e).originUrl();
            } else if (Messages.DEPOSIT_VERIFIED.is(type)) {
                next = DepositState.VERIFIED;
                DepositVerified verified = Messages.DEPOSIT_VERIFIED.read(e);
                warnings = verified.warnings();
                problems = CheckDetails.NONE; // judged again, and found fit
                directory = release = snapshot = context = reason = null;
            } else if (Messages.DEPOSIT_REJECTED.is(type)) {
                next = DepositState.REJECTED;
                DepositRejected rejected = Messages.DEPOSIT_REJECTED.read(e);
                problems = rejected.details();
            } else if (Messages.DEPOSIT_RESCHEDULED.is(type)) {
                next = DepositState.VERIFIED;
                directory = release = snapshot = context = reason = null;
            } else if (Messages.DEPOSIT_LOADING.is(type)) {
                next = DepositState.LOADING;
            } else if (Messages.DEPOSIT_LOADED.is(type)) {
                next = DepositState.DONE;
                DepositLoaded loaded = Messages.DEPOSIT_LOADED.read(e);
                directory = loaded.directory();
                release = loaded.release();
                snapshot = loaded.snapshot();
                context = loaded.context();
                if (loaded.originUrl() != null) {
                    origin = loaded.originUrl();
                }
            } else if (Messages.DEPOSIT_LOAD_FAILED.is(type)) {
                next = DepositState.FAILED;
                DepositLoadFailed failed = Messages.DEPOSIT_LOAD_FAILED.read(e);
                reason = failed.reason();
            } else {
                continue; // a type this CLI does not know yet
            }
            status = next;
            history.add(new Step(next, e.time(), type, e.id(), e.actor()));
        }
        return new DepositStatus(depositId, status, history, problems, warnings, directory, release, snapshot,
                origin, context, reason);
    }

    /** The status as readable lines. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("deposit " + depositId + ": " + status.word());
        for (Step step : history) {
            lines.add("  " + step.time() + "  " + step.status().word()
                    + (step.actor() != null && step.status() == DepositState.DEPOSITED ? "  by " + step.actor() : ""));
        }
        if (originUrl != null) {
            lines.add("  origin:    " + originUrl);
        }
        for (String problem : problems.lines()) {
            lines.add("  problem:   " + problem);
        }
        for (String warning : warnings.lines()) {
            lines.add("  warning:   " + warning);
        }
        if (reason != null) {
            lines.add("  reason:    " + reason);
        }
        if (directory != null) {
            lines.add("  directory: " + directory);
        }
        if (release != null) {
            lines.add("  release:   " + release);
        }
        if (snapshot != null) {
            lines.add("  snapshot:  " + snapshot);
        }
        if (context != null) {
            lines.add("  context:   " + context);
        }
        return lines;
    }
}
