package org.wharf.deploy.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Rolling batches as Ansible's {@code serial} and {@code max_fail_percentage} mean them, so that an
 * operator's playbook reads the same here: {@code serial} is a list of batch sizes, each a number of
 * hosts or a percentage of all of them (rounded down, at least one host), the last one repeating
 * until every host is in a batch; empty means one batch of all hosts. A rollout stops after a batch
 * in which more than {@code max-fail-percentage} of the hosts failed (0: any failure stops it).
 */
public final class Batches {

    private Batches() {
    }

    /** {@code hosts} cut into batches, in order. {@code serial} as validated by the inventory. */
    public static <T> List<List<T>> of(List<T> hosts, List<String> serial) {
        List<List<T>> batches = new ArrayList<>();
        int next = 0;
        int step = 0;
        while (next < hosts.size()) {
            int size = serial.isEmpty() ? hosts.size() : size(serial.get(Math.min(step, serial.size() - 1)).trim(), hosts.size());
            int end = Math.min(hosts.size(), next + size);
            batches.add(List.copyOf(hosts.subList(next, end)));
            next = end;
            step++;
        }
        return batches;
    }

    /** True when {@code failed} of a batch of {@code batchSize} hosts stops the rollout. */
    public static boolean stops(int failed, int batchSize, int maxFailPercentage) {
        return failed > 0 && failed * 100L > (long) maxFailPercentage * batchSize;
    }

    private static int size(String batch, int hosts) {
        if (batch.endsWith("%")) {
            int percent = Integer.parseInt(batch.substring(0, batch.length() - 1));
            return Math.max(1, hosts * percent / 100);
        }
        return Integer.parseInt(batch);
    }
}
