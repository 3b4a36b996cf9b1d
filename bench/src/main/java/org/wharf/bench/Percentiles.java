package org.wharf.bench;

import java.util.List;

/** The benchmarks' summaries of their timings: nearest-rank percentiles and the median. */
final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}th percentile (nearest rank) of {@code values}, in any order. */
    static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** The middle value (the upper one of an even count). */
    static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
