package org.wharf.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Batch sizes and the stop rule, against the examples of Ansible's documentation of serial and max_fail_percentage. */
class BatchesTest {

    @Test
    void serialCountsPercentagesAndLists() {
        assertThat(sizes(10, List.of())).containsExactly(10);
        assertThat(sizes(10, List.of("3"))).containsExactly(3, 3, 3, 1);
        assertThat(sizes(10, List.of("30%"))).containsExactly(3, 3, 3, 1);
        assertThat(sizes(20, List.of("1", "5", "10"))).containsExactly(1, 5, 10, 4);
        assertThat(sizes(20, List.of("10%", "20%", "100%"))).containsExactly(2, 4, 14);
        assertThat(sizes(10, List.of("1", "50%"))).containsExactly(1, 5, 4);
        assertThat(sizes(3, List.of("10%"))).as("a percentage is at least one host").containsExactly(1, 1, 1);
        assertThat(sizes(0, List.of("1"))).isEmpty();
        assertThat(Batches.of(List.of("a", "b", "c"), List.of("2"))).containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void moreThanTheMaximumFailedStopsTheRollout() {
        assertThat(Batches.stops(0, 4, 0)).isFalse();
        assertThat(Batches.stops(1, 4, 0)).isTrue();
        assertThat(Batches.stops(1, 4, 25)).as("25% failed is not more than 25%").isFalse();
        assertThat(Batches.stops(2, 4, 25)).isTrue();
        assertThat(Batches.stops(3, 10, 30)).isFalse();
        assertThat(Batches.stops(4, 10, 30)).isTrue();
        assertThat(Batches.stops(10, 10, 100)).isFalse();
    }

    private static List<Integer> sizes(int hosts, List<String> serial) {
        return Batches.of(IntStream.range(0, hosts).boxed().toList(), serial).stream().map(List::size).toList();
    }
}
