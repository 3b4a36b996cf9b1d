package org.wharf.loader.deposit;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.wharf.loader.archive.StoreObserver;

/**
 * Added to a loader process started with {@code -Dwharf.test.halt-after-uploads=N}: the process dies
 * abruptly ({@link Runtime#halt}: no shutdown hook, no cleanup, as with {@code kill -9}) right after its
 * Nth object reaches the bucket and before the schema records it as stored.
 */
public final class HaltAfterUploads implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        int haltAfter = Integer.getInteger("wharf.test.halt-after-uploads", 0);
        if (haltAfter <= 0) {
            return;
        }
        AtomicInteger uploads = new AtomicInteger();
        StoreObserver halting = key -> {
            if (uploads.incrementAndGet() == haltAfter) {
                System.out.println("halting after the upload of " + key);
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
        };
        context.getBeanFactory().registerSingleton("haltingObserver", halting);
    }
}
