package io.qudag.resilience.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import java.util.List;

/** The unrolled smooth weighted round robin schedule keeps the weights' proportions and spreads picks. */
class SmoothWeightedScheduleProperties {

    @Property(tries = 300)
    void eachIndexAppearsInProportionToItsWeight(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 200) Integer> weights) {
        long[] w = weights.stream().mapToLong(Integer::longValue).toArray();
        long total = 0;
        for (long x : w) {
            total += x;
        }
        int[] schedule = SmoothWeightedSchedule.build(w);
        if (total == 0) {
            assertThat(schedule).isEmpty();
            return;
        }
        long[] reduced = SmoothWeightedSchedule.reduce(w);
        int[] counts = new int[w.length];
        for (int i : schedule) {
            counts[i]++;
        }
        for (int i = 0; i < w.length; i++) {
            assertThat(counts[i]).as("index %d", i).isEqualTo((int) reduced[i]);
            // gcd reduction keeps proportions exactly (no scaling below MAX_LENGTH)
            assertThat(reduced[i] * total).isEqualTo(w[i] * (long) schedule.length);
        }
    }

    /**
     * Smoothness: in every prefix of the schedule, each index has been picked within n - 1 of its ideal
     * share (k × weight / total), n the number of indexes, whatever the weights. Picking in blocks
     * (all of one, then all of the next) would be off by up to weight × (1 - weight / total).
     */
    @Property(tries = 200)
    void everyPrefixStaysCloseToTheIdealShare(
            @ForAll @Size(min = 2, max = 10) List<@IntRange(min = 1, max = 50) Integer> weights) {
        long[] w = SmoothWeightedSchedule.reduce(weights.stream().mapToLong(Integer::longValue).toArray());
        int[] schedule = SmoothWeightedSchedule.build(w);
        int n = schedule.length;
        int[] counts = new int[w.length];
        for (int k = 1; k <= n; k++) {
            counts[schedule[k - 1]]++;
            for (int i = 0; i < w.length; i++) {
                double ideal = (double) k * w[i] / n;
                assertThat(Math.abs(counts[i] - ideal)).as("index %d after %d picks", i, k)
                        .isLessThanOrEqualTo(w.length - 1.0);
            }
        }
    }

    @Property(tries = 100)
    void longSchedulesAreScaledDownButKeepEveryPositiveWeight(
            @ForAll @Size(min = 1, max = 100) List<@IntRange(min = 1, max = 100_000) Integer> weights) {
        long[] w = weights.stream().mapToLong(Integer::longValue).toArray();
        int[] schedule = SmoothWeightedSchedule.build(w);
        assertThat(schedule.length).isLessThanOrEqualTo(SmoothWeightedSchedule.MAX_LENGTH + w.length);
        boolean[] seen = new boolean[w.length];
        for (int i : schedule) {
            seen[i] = true;
        }
        for (boolean s : seen) {
            assertThat(s).isTrue();
        }
    }
}
