package org.wharf.checker.deposit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.checker.client.Clients;
import org.wharf.checker.deposit.internal.ArchiveIntegrity;
import org.wharf.checker.deposit.internal.CheckedDeposits;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.CheckDetail;
import org.wharf.common.message.deposit.CheckDetails;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.DepositVerified;

/**
 * On DepositReceived: decides whether the deposit is fit to load — client and collection, origin URL,
 * archive, metadata — and says so with DepositVerified (with warnings) or DepositRejected (with the
 * details, grouped as Software Heritage groups them). A redelivered DepositReceived gets no second verdict.
 */
@Configuration(proxyBeanMethods = false)
public class DepositChecker {

    private static final Logger log = LoggerFactory.getLogger(DepositChecker.class);

    private final Clients clients;
    private final ArchiveIntegrity archives;
    private final CheckedDeposits deposits;

    public DepositChecker(Clients clients, ArchiveIntegrity archives, CheckedDeposits deposits) {
        this.clients = clients;
        this.archives = archives;
        this.deposits = deposits;
    }

    @Bean
    public Subscriptions checkerSubscriptions() {
        return Subscriptions.builder()
                .on(Messages.DEPOSIT_RECEIVED, this::check)
                .on(Messages.CREATE_CLIENT, clients::create)
                .build();
    }

    void check(Delivery<DepositReceived> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        DepositReceived deposit = delivery.payload();
        List<CheckDetail> clientProblems = new ArrayList<>();
        List<CheckDetail> urlProblems = new ArrayList<>();
        checkClient(deposit, clientProblems, urlProblems);
        // An unknown client's archive is not worth reading; otherwise every problem is reported at once.
        // Reading happens outside the transaction; a transient S3 failure throws and is retried.
        List<CheckDetail> archiveProblems = clientProblems.isEmpty() ? archives.problems(deposit.archive()) : List.of();
        List<CheckDetail> metadataProblems = clientProblems.isEmpty() ? archives.metadataProblems(deposit.metadata()) : List.of();
        CheckDetails problems = new CheckDetails(archiveProblems, metadataProblems, urlProblems, clientProblems);

        delivery.handleOnce(() -> {
            deposits.record(deposit, problems);
            if (problems.isEmpty()) {
                delivery.emit(Messages.DEPOSIT_VERIFIED, deposit.depositId(), new DepositVerified(deposit.depositId(),
                        deposit.collection(), deposit.client(), deposit.originUrl(), deposit.archive(),
                        deposit.metadata(), CheckDetails.NONE));
            } else {
                delivery.emit(Messages.DEPOSIT_REJECTED, deposit.depositId(), new DepositRejected(deposit.depositId(), problems));
            }
        });
        log.info("deposit {}: {}", deposit.depositId(), problems.isEmpty() ? "verified" : "rejected " + problems.lines());
    }

    private void checkClient(DepositReceived deposit, List<CheckDetail> clientProblems, List<CheckDetail> urlProblems) {
        Optional<Clients.Client> client = clients.find(deposit.client());
        if (client.isEmpty()) {
            clientProblems.add(CheckDetail.of("unknown client " + deposit.client(), "client"));
            return;
        }
        if (!client.get().owns(deposit.collection())) {
            clientProblems.add(CheckDetail.of("client " + deposit.client() + " may not deposit into collection "
                    + deposit.collection(), "collection"));
        }
        String provider = client.get().providerUrl();
        if (deposit.originUrl() != null && !deposit.originUrl().startsWith(provider)) {
            urlProblems.add(CheckDetail.of("URL mismatch: " + deposit.originUrl() + " must start with " + provider, "originUrl"));
        }
    }
}
