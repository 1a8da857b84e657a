package io.qudag.resilience.failover.internal;

/**
 * Smooth weighted round robin (nginx's algorithm) unrolled into a fixed schedule: an int[] of indexes
 * in which index i appears weight[i] times, interleaved as evenly as the algorithm makes it. Picking
 * is then one atomic counter increment and one array read: lock-free and allocation-free.
 */
final class SmoothWeightedSchedule {

    /** Longest schedule built; larger weight sums are scaled down proportionally. */
    static final int MAX_LENGTH = 4096;

    private SmoothWeightedSchedule() {
    }

    /**
     * @param weights non-negative weights; at least one positive
     * @return the schedule, length = sum of the (gcd-reduced, possibly scaled) weights
     */
    static int[] build(long[] weights) {
        long[] w = reduce(weights);
        long total = 0;
        for (long x : w) {
            total += x;
        }
        if (total <= 0) {
            return new int[0];
        }
        int[] schedule = new int[(int) total];
        long[] current = new long[w.length];
        for (int s = 0; s < schedule.length; s++) {
            int best = -1;
            for (int i = 0; i < w.length; i++) {
                if (w[i] == 0) {
                    continue;
                }
                current[i] += w[i];
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            schedule[s] = best;
        }
        return schedule;
    }

    /** Divides by the gcd; scales to at most {@link #MAX_LENGTH} (each positive weight stays >= 1). */
    static long[] reduce(long[] weights) {
        long g = 0;
        long total = 0;
        for (long x : weights) {
            if (x < 0) {
                throw new IllegalArgumentException("weight must be >= 0, was " + x);
            }
            g = gcd(g, x);
            total += x;
        }
        long[] w = weights.clone();
        if (g > 1) {
            for (int i = 0; i < w.length; i++) {
                w[i] /= g;
            }
            total /= g;
        }
        if (total > MAX_LENGTH) {
            double scale = (double) MAX_LENGTH / total;
            for (int i = 0; i < w.length; i++) {
                if (w[i] > 0) {
                    w[i] = Math.max(1, Math.round(w[i] * scale));
                }
            }
            long g2 = 0;
            for (long x : w) {
                g2 = gcd(g2, x);
            }
            if (g2 > 1) {
                for (int i = 0; i < w.length; i++) {
                    w[i] /= g2;
                }
            }
        }
        return w;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
