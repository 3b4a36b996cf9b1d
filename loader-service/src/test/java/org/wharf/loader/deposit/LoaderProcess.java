package org.wharf.loader.deposit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.wharf.common.WharfApplication;
import org.wharf.loader.LoaderApplication;
import org.wharf.loader.archive.StoreObserver;

/**
 * The loader-service as a process of its own, for tests that cap its heap or kill it. Configuration comes
 * from {@code SPRING_APPLICATION_JSON}. With {@code -Dwharf.test.halt-after-uploads=N} the process dies
 * abruptly ({@link Runtime#halt}: no shutdown hook, no cleanup, as with {@code kill -9}) right after its
 * Nth object reaches the bucket and before the schema records it as stored. It prints its peak heap
 * every second as {@code peakHeapMiB=<n>}.
 */
public final class LoaderProcess {

    private LoaderProcess() {
    }

    public static void main(String[] args) {
        int haltAfter = Integer.getInteger("wharf.test.halt-after-uploads", 0);
        SpringApplicationBuilder builder = WharfApplication.builder(LoaderApplication.class, LoaderApplication.SERVICE_NAME);
        if (haltAfter > 0) {
            AtomicInteger uploads = new AtomicInteger();
            StoreObserver halting = key -> {
                if (uploads.incrementAndGet() == haltAfter) {
                    System.out.println("halting after the upload of " + key);
                    System.out.flush();
                    Runtime.getRuntime().halt(137);
                }
            };
            builder.initializers(context -> context.getBeanFactory().registerSingleton("haltingObserver", halting));
        }
        Thread reporter = new Thread(() -> {
            while (true) {
                System.out.println("peakHeapMiB=" + peakHeapMiB());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peak-heap-reporter");
        reporter.setDaemon(true);
        reporter.start();
        builder.run(args);
    }

    static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
