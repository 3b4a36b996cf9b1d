package org.wharf.loader.deposit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositLoadFailed;
import org.wharf.common.message.deposit.DepositLoaded;
import org.wharf.common.message.deposit.DepositLoading;
import org.wharf.common.message.deposit.DepositVerified;
import org.wharf.common.outbox.Outbox;
import org.wharf.loader.deposit.internal.ArchiveTree;
import org.wharf.loader.deposit.internal.LoadedDeposits;
import org.wharf.loader.deposit.internal.LoadedDeposits.Load;

/**
 * On DepositVerified: announces DepositLoading (committed before any work), computes the archive's
 * tree id, and ends with exactly one DepositLoaded or DepositLoadFailed. A loader that dies in the
 * middle gets the DepositVerified again (its offset was not committed), finds the load still
 * "loading" in its schema, and finishes it.
 */
@Configuration(proxyBeanMethods = false)
public class DepositLoader {

    private static final Logger log = LoggerFactory.getLogger(DepositLoader.class);

    private final LoadedDeposits deposits;
    private final ArchiveTree archiveTree;
    private final Outbox outbox;
    private final TransactionTemplate tx;

    public DepositLoader(LoadedDeposits deposits, ArchiveTree archiveTree, Outbox outbox, TransactionTemplate tx) {
        this.deposits = deposits;
        this.archiveTree = archiveTree;
        this.outbox = outbox;
        this.tx = tx;
    }

    @Bean
    public Subscriptions loaderSubscriptions() {
        return Subscriptions.builder()
                .on(Messages.DEPOSIT_VERIFIED, this::load)
                .build();
    }

    void load(Delivery<DepositVerified> delivery) {
        DepositVerified deposit = delivery.payload();
        delivery.handleOnce(() -> {
            Envelope loading = delivery.emit(Messages.DEPOSIT_LOADING, deposit.depositId(), new DepositLoading(deposit.depositId()));
            deposits.start(deposit, loading);
        });
        Load load = deposits.find(deposit.depositId());
        if (load != null && load.loading()) {
            finish(load);
        }
    }

    private void finish(Load load) {
        ArchiveTree.Result result = archiveTree.identify(load.archiveBucket(), load.archiveKey());
        tx.executeWithoutResult(status -> {
            if (result.failure() != null) {
                if (deposits.fail(load.depositId(), result.failure())) {
                    outbox.append(Messages.DEPOSIT_LOAD_FAILED, load.depositId(),
                            new DepositLoadFailed(load.depositId(), result.failure()),
                            load.loadingEventId(), load.correlationId(), load.actor());
                }
            } else if (deposits.done(load.depositId(), result.directory())) {
                outbox.append(Messages.DEPOSIT_LOADED, load.depositId(),
                        new DepositLoaded(load.depositId(), result.directory(), null, null, load.originUrl(), null),
                        load.loadingEventId(), load.correlationId(), load.actor());
            }
        });
        log.info("deposit {}: {}", load.depositId(), result.failure() != null ? "failed: " + result.failure() : "done, " + result.directory());
    }
}
