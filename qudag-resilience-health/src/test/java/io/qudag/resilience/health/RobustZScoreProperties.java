package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.qudag.resilience.health.predict.RobustZScoreDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The incremental median/MAD of the robust z-score equals a brute-force computation. */
class RobustZScoreProperties {

    @Property(tries = 200)
    void incrementalMedianAndMadMatchBruteForce(
            @ForAll @Size(min = 30, max = 300) List<@DoubleRange(min = 0, max = 1000) Double> values,
            @ForAll @IntRange(min = 10, max = 64) int window) {
        RobustZScoreDetector d = new RobustZScoreDetector(window, 1e12, 1e12); // never flags: baseline = last samples
        List<Double> seen = new ArrayList<>();
        for (double v : values) {
            d.update(v);
            int n = Math.min(window, seen.size());
            if (seen.size() >= Math.min(window, 20)) {
                double[] base = seen.subList(seen.size() - n, seen.size()).stream().mapToDouble(Double::doubleValue)
                        .toArray();
                double median = median(base);
                double[] dev = Arrays.stream(base).map(x -> Math.abs(x - median)).toArray();
                double sigma = Math.max(1.4826 * median(dev), 1e-9 * Math.max(1, Math.abs(median)));
                double z = Math.abs(v - median) / sigma;
                int k = seen.size();
                double m3 = (v + seen.get(k - 1) + seen.get(k - 2)) / 3;
                double zMean = Math.abs(m3 - median) / (sigma / Math.sqrt(3));
                double expected = Math.max(z, zMean);
                assertThat(d.lastScore()).isCloseTo(expected, within(1e-6 * Math.max(1, expected)));
            }
            seen.add(v);
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return (n & 1) == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
