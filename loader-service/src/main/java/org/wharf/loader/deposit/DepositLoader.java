package org.wharf.loader.deposit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.consumer.RetryLater;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositLoadFailed;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositLoading;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.deposit.DepositRescheduled;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.message.deposit.LoadDeposit;
import org.wharf.common.message.deposit.RescheduleDeposit;
import org.wharf.common.message.schedule.ScheduleOnce;
import org.wharf.common.message.schedule.ScheduledCommand;
import org.wharf.common.outbox.Outbox;
import org.wharf.common.s3.S3Failures;
import org.wharf.common.util.Reasons;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.wharf.loader.archive.ArchiveLoad;
import org.wharf.loader.archive.ObjectArchive;

import org.wharf.loader.deposit.internal.ArchiveTree;
import org.wharf.loader.deposit.internal.ReleaseDates;
import org.wharf.loader.swhid.DepositGraph;
import org.wharf.loader.swhid.SwhIdentifiers;
import org.wharf.loader.deposit.internal.LoadStatus;
import org.wharf.loader.deposit.internal.LoadedDeposits;
import org.wharf.loader.deposit.internal.LoadedDeposits.Load;

/**
 * On DepositVerified: announces DepositLoading (committed before any work), stores the archive's
 * contents and directories in the archive while computing the tree id, records the release, snapshot
 * and origin visit, and ends with exactly one DepositLoaded or DepositLoadFailed. A loader that dies in the
 * middle gets the DepositVerified again (its offset was not committed), finds the load still
 * "loading" in its schema, and finishes it.
 */
@Component
public class DepositLoader {

    private static final Logger log = LoggerFactory.getLogger(DepositLoader.class);

    private final LoadedDeposits deposits;
    private final ArchiveTree archiveTree;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final ObjectArchive archive;

    public DepositLoader(LoadedDeposits deposits, ArchiveTree archiveTree, ObjectArchive archive, Outbox outbox,
                         TransactionTemplate tx) {
        this.deposits = deposits;
        this.archiveTree = archiveTree;
        this.archive = archive;
        this.outbox = outbox;
        this.tx = tx;
    }

    public void load(Delivery<DepositVerified> delivery) {
        DepositVerified deposit = delivery.payload();
        delivery.handleOnce(() -> {
            Envelope loading = delivery.emit(Messages.DEPOSIT_LOADING, deposit.depositId(), new DepositLoading(deposit.depositId()));
            deposits.start(deposit, loading);
        });
        finishIfLoading(deposit.depositId());
    }

    /** LoadDeposit: loads a deposit set for loading again (by a reschedule). */
    public void loadAgain(Delivery<LoadDeposit> delivery) {
        String depositId = delivery.payload().depositId();
        delivery.handleOnce(() -> {
            Load load = deposits.find(depositId);
            if (load == null || load.status() != LoadStatus.VERIFIED) {
                delivery.emit(Messages.LOADER_COMMAND_REJECTED, depositId, new CommandRejected(Messages.LOAD_DEPOSIT.type(),
                        depositId, "deposit " + depositId + " is " + (load == null ? "unknown to the loader" : load.status().word())
                                + ", not set for loading"));
                return;
            }
            Envelope loading = delivery.emit(Messages.DEPOSIT_LOADING, depositId, new DepositLoading(depositId));
            deposits.markLoading(depositId, loading);
        });
        finishIfLoading(depositId);
    }

    /**
     * RescheduleDeposit, with the rules of Software Heritage's {@code deposit reschedule}: from done or
     * failed, back to verified with the identifiers cleared, then loaded again (the scheduler is asked for
     * a ScheduleOnce firing LoadDeposit now); from verified, nothing
     * to do ("already set for rescheduling"); anything else is refused with the reason.
     */
    public void reschedule(Delivery<RescheduleDeposit> delivery) {
        String depositId = delivery.payload().depositId();
        delivery.handleOnce(() -> {
            Load load = deposits.find(depositId);
            LoadStatus status = load == null ? null : load.status();
            if (status == LoadStatus.DONE || status == LoadStatus.FAILED) {
                deposits.reset(depositId);
                delivery.emit(Messages.DEPOSIT_RESCHEDULED, depositId, new DepositRescheduled(depositId, status.word(), null));
                // As Software Heritage's reschedule, the load is triggered back through the scheduler.
                String name = "reschedule-" + depositId + "-" + delivery.envelope().id();
                delivery.emit(Messages.SCHEDULE_ONCE, name, new ScheduleOnce(name, Instant.now(), ScheduledCommand.of(
                        Messages.LOAD_DEPOSIT, depositId, new LoadDeposit(depositId))));
            } else if (status == LoadStatus.VERIFIED) {
                delivery.emit(Messages.DEPOSIT_RESCHEDULED, depositId,
                        new DepositRescheduled(depositId, status.word(), "already set for rescheduling"));
            } else {
                String reason = load == null
                        ? "deposit " + depositId + " was never verified: only a done or failed deposit can be rescheduled"
                        : "deposit " + depositId + " is loading: reschedule it once it is done or failed";
                delivery.emit(Messages.LOADER_COMMAND_REJECTED, depositId,
                        new CommandRejected(Messages.RESCHEDULE_DEPOSIT.type(), depositId, reason));
            }
        });
    }

    private void finishIfLoading(String depositId) {
        Load load = deposits.find(depositId);
        if (load != null && load.loading()) {
            finish(load);
        }
    }

    private void finish(Load load) {
        if (load.originUrl() == null) {
            failed(load, "the deposit has no origin URL");
            return;
        }
        // Contents and directories are stored while the archive is read; the release, snapshot and visit
        // commit with the final record. A failure of the store throws: the load is retried, not failed.
        long started = System.nanoTime();
        try {
            store(load, started);
        } catch (RuntimeException e) {
            // Reading the deposit's archive, the store's permanent answers are already the deposit's failure
            // (ArchiveTree). What gets here is the archive bucket refusing (missing, access denied): the
            // platform's configuration, not the deposit's fault, so the load waits for it to be fixed, as
            // for a store that is down, with the answer as the reason.
            if (S3Failures.isPermanent(e)) {
                throw new RetryLater("the archive bucket refused: " + Reasons.of(e));
            }
            throw e;
        }
    }

    private void store(Load load, long started) {
        // The tree is returned only once the archive's sha256 is that of the checked one; contents uploaded
        // before (content-addressed, each recorded when stored) are kept, reused by any later load.
        try (ArchiveLoad stored = archive.begin(load.depositId())) {
            ArchiveTree.Result result = archiveTree.identify(load.archiveBucket(), load.archiveKey(), load.archiveSize(),
                    load.archiveSha256(), stored);
            if (result.failure() != null) {
                failed(load, result.failure());
                return;
            }
            ArchiveLoad.Summary summary = stored.complete();
            // As Software Heritage's deposit loader: the version is the software version, else the count of
            // earlier loads of the origin plus one; the date is dateCreated, else datePublished, else the deposit time.
            tx.executeWithoutResult(status -> {
                String version = load.softwareVersion() != null ? load.softwareVersion()
                        : Integer.toString(deposits.loadedOnOrigin(load.originUrl(), load.depositId()) + 1);
                OffsetDateTime date = ReleaseDates.parse(load.releaseDate())
                        .orElse((load.receivedAt() != null ? load.receivedAt() : Instant.now()).atOffset(ZoneOffset.UTC));
                DepositGraph.Deposit deposit = new DepositGraph.Deposit(result.directory(), version, load.client(),
                        load.depositId(), load.collection(), null, date);
                DepositGraph.Graph graph = DepositGraph.of(deposit);
                String directory = SwhIdentifiers.swhid("dir", result.directory());
                String release = SwhIdentifiers.swhid("rel", graph.headRelease());
                String snapshot = SwhIdentifiers.swhid("snp", graph.snapshot());
                String context = SwhIdentifiers.qualifiedDirectory(result.directory(), load.originUrl(), graph.snapshot(),
                        graph.headRelease());
                if (deposits.done(load.depositId(), directory, version, release, snapshot)) {
                    int visit = archive.recordVisit(load.depositId(), load.originUrl(), deposit.release(), date,
                            graph.snapshot(), graph.branches(), OffsetDateTime.now(ZoneOffset.UTC));
                    deposits.visited(load.depositId(), visit);
                    outbox.append(Messages.DEPOSIT_LOADED, load.depositId(),
                            new DepositLoaded(load.depositId(), directory, release, snapshot, load.originUrl(), context),
                            load.loadingEventId(), load.correlationId(), load.actor());
                }
            });
            log.info("deposit {}: done in {} ms, {}; {} contents ({} new, {} bytes stored, {} skipped as too large) in {} new "
                    + "objects, {} directories", load.depositId(), (System.nanoTime() - started) / 1_000_000, result.directory(),
                    summary.contents(), summary.newContents(), summary.newBytes(), summary.skipped(), summary.objects(),
                    summary.directories());
        }
    }

    private void failed(Load load, String failure) {
        tx.executeWithoutResult(status -> {
            if (deposits.fail(load.depositId(), failure)) {
                outbox.append(Messages.DEPOSIT_LOAD_FAILED, load.depositId(), new DepositLoadFailed(load.depositId(), failure),
                        load.loadingEventId(), load.correlationId(), load.actor());
            }
        });
        log.info("deposit {}: failed: {}", load.depositId(), failure);
    }
}
