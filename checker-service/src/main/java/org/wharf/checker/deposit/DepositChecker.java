package org.wharf.checker.deposit;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.checker.deposit.internal.ArchiveIntegrity;
import org.wharf.checker.deposit.internal.CheckedDeposits;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.message.Messages;
import org.wharf.common.message.Problem;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.DepositRejected;
import org.wharf.common.message.deposit.DepositVerified;

/**
 * On DepositReceived: decides whether the deposit is fit to load, and says so with DepositVerified
 * or DepositRejected (with the list of problems). A redelivered DepositReceived gets no second verdict.
 */
@Configuration(proxyBeanMethods = false)
public class DepositChecker {

    private static final Logger log = LoggerFactory.getLogger(DepositChecker.class);

    private final ArchiveIntegrity integrity;
    private final CheckedDeposits deposits;

    public DepositChecker(ArchiveIntegrity integrity, CheckedDeposits deposits) {
        this.integrity = integrity;
        this.deposits = deposits;
    }

    @Bean
    public Subscriptions checkerSubscriptions() {
        return Subscriptions.builder()
                .on(Messages.DEPOSIT_RECEIVED, this::check)
                .build();
    }

    void check(Delivery<DepositReceived> delivery) {
        if (delivery.alreadyHandled()) {
            return;
        }
        DepositReceived deposit = delivery.payload();
        // Reading the archive happens outside the transaction; a transient S3 failure throws and is retried.
        List<Problem> problems = integrity.problems(deposit.archive(), deposit.metadata());
        delivery.handleOnce(() -> {
            deposits.record(deposit, problems);
            if (problems.isEmpty()) {
                delivery.emit(Messages.DEPOSIT_VERIFIED, deposit.depositId(), new DepositVerified(deposit.depositId(),
                        deposit.collection(), deposit.client(), deposit.originUrl(), deposit.archive(),
                        deposit.metadata(), List.of()));
            } else {
                delivery.emit(Messages.DEPOSIT_REJECTED, deposit.depositId(),
                        new DepositRejected(deposit.depositId(), problems));
            }
        });
        log.info("deposit {}: {}", deposit.depositId(), problems.isEmpty() ? "verified" : "rejected " + problems);
    }
}
