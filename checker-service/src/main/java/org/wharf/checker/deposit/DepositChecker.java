package org.wharf.checker.deposit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wharf.checker.client.Clients;
import org.wharf.checker.deposit.internal.DepositObjects;
import org.wharf.checker.metadata.MetadataReport;
import org.wharf.checker.deposit.internal.CheckStatus;
import org.wharf.checker.deposit.internal.CheckedDeposits;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.CheckDetail;
import org.wharf.common.message.deposit.CheckDeposit;
import org.wharf.common.message.deposit.CheckDetails;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.DepositVerified;

/**
 * On DepositReceived: decides whether the deposit is fit to load — client and collection, origin URL,
 * archive, metadata — and says so with DepositVerified (with warnings) or DepositRejected (with the
 * details, grouped as Software Heritage groups them). A redelivered DepositReceived gets no second verdict.
 * On CheckDeposit: judges a rejected deposit again, from its announcement as received.
 */
@Component
public class DepositChecker {

    private static final Logger log = LoggerFactory.getLogger(DepositChecker.class);

    private final Clients clients;
    private final DepositObjects objects;
    private final CheckedDeposits deposits;

    public DepositChecker(Clients clients, DepositObjects objects, CheckedDeposits deposits) {
        this.clients = clients;
        this.objects = objects;
        this.deposits = deposits;
    }

    /** What the checks found: problems (a rejection if any), warnings, and the deposit's origin and metadata. */
    private record Verdict(CheckDetails problems, CheckDetails warnings, String originUrl, MetadataReport metadata) {
    }

    public void check(Delivery<DepositReceived> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        DepositReceived deposit = delivery.payload();
        // Kept before judging, so that a deposit whose verdict could not be given can be checked again.
        deposits.received(deposit);
        decide(delivery, deposit);
    }

    /**
     * CheckDeposit: a rejected deposit, or one that never got its verdict, judged again from its announcement
     * as received (its client's provider URL or collections may have been fixed since). A verified one is refused.
     */
    public void checkAgain(Delivery<CheckDeposit> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        String depositId = delivery.payload().depositId();
        Optional<CheckedDeposits.Checked> checked = deposits.find(depositId);
        String refusal = checked.isEmpty() ? "deposit " + depositId + " is unknown to the checker"
                : checked.get().status() == CheckStatus.VERIFIED ? "deposit " + depositId + " is verified: only a rejected "
                        + "deposit, or one still deposited, is checked again (load a done or failed one again with 'wharf deposit reschedule')"
                : checked.get().received() == null ? "deposit " + depositId + " was judged before the checker kept what it received: "
                        + "submit it again"
                : null;
        if (refusal != null) {
            delivery.handleOnce(() -> delivery.emit(Messages.CHECKER_COMMAND_REJECTED, depositId,
                    new CommandRejected(Messages.CHECK_DEPOSIT.type(), depositId, refusal)));
            log.info("deposit {}: not checked again: {}", depositId, refusal);
            return;
        }
        decide(delivery, checked.get().received());
    }

    /** Judges the deposit and tells the verdict, once per delivery. */
    private void decide(Delivery<?> delivery, DepositReceived deposit) {
        // Reading happens outside the transaction; a transient S3 failure throws and is retried.
        Verdict verdict = judge(deposit);
        delivery.handleOnce(() -> {
            deposits.record(deposit, verdict.originUrl(), verdict.problems(), verdict.warnings());
            if (verdict.problems().isEmpty()) {
                MetadataReport metadata = verdict.metadata();
                delivery.emit(Messages.DEPOSIT_VERIFIED, deposit.depositId(), new DepositVerified(deposit.depositId(),
                        deposit.collection(), deposit.client(), verdict.originUrl(), deposit.archive(), deposit.metadata(),
                        verdict.warnings(), metadata.softwareVersion(), metadata.dateCreated(), metadata.datePublished(),
                        deposit.receivedAt()));
            } else {
                delivery.emit(Messages.DEPOSIT_REJECTED, deposit.depositId(), new DepositRejected(deposit.depositId(), verdict.problems()));
            }
        });
        log.info("deposit {}: {}", deposit.depositId(), verdict.problems().isEmpty() ? CheckStatus.VERIFIED.word()
                : CheckStatus.REJECTED.word() + " " + verdict.problems().lines());
    }

    private Verdict judge(DepositReceived deposit) {
        List<CheckDetail> clientProblems = new ArrayList<>();
        Optional<Clients.Client> client = checkClient(deposit, clientProblems);
        if (client.isEmpty()) {
            // An unknown client's archive is not worth reading.
            return new Verdict(new CheckDetails(null, null, null, clientProblems), CheckDetails.NONE, deposit.originUrl(), null);
        }
        // Otherwise every problem is reported at once.
        List<CheckDetail> archiveProblems = objects.archiveProblems(deposit.archive());
        MetadataReport metadata = objects.metadata(deposit.metadata());
        List<CheckDetail> urlProblems = new ArrayList<>();
        String originUrl = originUrl(deposit, metadata, client.get(), urlProblems);
        return new Verdict(new CheckDetails(archiveProblems, metadata.problems(), urlProblems, clientProblems),
                new CheckDetails(null, metadata.warnings(), null, null), originUrl, metadata);
    }

    private Optional<Clients.Client> checkClient(DepositReceived deposit, List<CheckDetail> clientProblems) {
        Optional<Clients.Client> client = clients.find(deposit.client());
        if (client.isEmpty()) {
            clientProblems.add(CheckDetail.of("unknown client " + deposit.client(), "client"));
            return Optional.empty();
        }
        if (!client.get().owns(deposit.collection())) {
            clientProblems.add(CheckDetail.of("client " + deposit.client() + " may not deposit into collection "
                    + deposit.collection(), "collection"));
        }
        return client;
    }

    /**
     * The deposit's origin: the one announced with the deposit, else the metadata's
     * {@code swh:create_origin}/{@code swh:add_to_origin}; it must exist and start with the provider URL.
     */
    private static String originUrl(DepositReceived deposit, MetadataReport metadata, Clients.Client client,
                                    List<CheckDetail> urlProblems) {
        String announced = deposit.originUrl();
        String described = metadata.originUrl();
        if (announced != null && described != null && !announced.equals(described)) {
            urlProblems.add(CheckDetail.of("the origin URL " + announced + " differs from the metadata's " + described,
                    "originUrl", "swh:deposit"));
            return announced;
        }
        String origin = announced != null ? announced : described;
        if (origin == null) {
            urlProblems.add(CheckDetail.of("no origin URL: announce one with the deposit or in swh:deposit/swh:create_origin",
                    "originUrl"));
        } else if (!origin.startsWith(client.providerUrl())) {
            urlProblems.add(CheckDetail.of("URL mismatch: " + origin + " must start with " + client.providerUrl(), "originUrl"));
        }
        return origin;
    }
}
