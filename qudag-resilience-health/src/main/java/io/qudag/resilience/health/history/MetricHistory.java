package io.qudag.resilience.health.history;

import java.time.Duration;

/**
 * The bounded-memory history of one metric of one subject over 24 h (spec §2.1
 * {@code historical_analysis: 24h_trend_analysis}), kept in three downsampled ring tiers:
 * <ul>
 *   <li>tier 0: 1 s slots for the last 10 min (600 slots),</li>
 *   <li>tier 1: 10 s slots for the last hour (360 slots),</li>
 *   <li>tier 2: 60 s slots for the last 24 h (1440 slots).</li>
 * </ul>
 * Every sample goes into all three tiers; a slot keeps the sum, count and maximum of its samples and
 * the number of the slot it holds, so a stale slot is recognised and reset on the next write.
 *
 * <h2>Memory</h2>
 * 2,400 slots of 24 bytes (slot number {@code long}, sum {@code double}, count {@code int}, max
 * {@code float}) = <b>57,600 bytes of arrays per series</b>, plus 12 array headers and the object
 * (about 320 bytes with the last-slot cache): ~57.9 KB, constant however many samples arrive.
 *
 * <p>{@link #add(long, double)} allocates nothing. Thread-safe: methods synchronise on the history
 * (one series is written by one collector; the lock is uncontended in practice).
 */
public final class MetricHistory {

    /** The resolution of each tier. */
    public static final Duration[] RESOLUTIONS = {Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60)};
    /** The number of slots of each tier. */
    public static final int[] SLOTS = {600, 360, 1440};
    /** Bytes of the slot arrays of one series. */
    public static final int ARRAY_BYTES = (600 + 360 + 1440) * (8 + 8 + 4 + 4);

    private final long[] resolutionMillis = {1_000, 10_000, 60_000};
    private final long[][] slotIds = new long[3][];
    private final double[][] sums = new double[3][];
    private final int[][] counts = new int[3][];
    private final float[][] maxima = new float[3][];
    private long lastMillis = Long.MIN_VALUE;
    /** The slot and ring index of each tier's last {@link #add}, to skip the divisions within one slot. */
    private final long[] lastSlot = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
    private final int[] lastIndex = new int[3];
    private double lastValue = Double.NaN;
    private long samples;

    /** An empty history. */
    public MetricHistory() {
        for (int t = 0; t < 3; t++) {
            slotIds[t] = new long[SLOTS[t]];
            java.util.Arrays.fill(slotIds[t], Long.MIN_VALUE);
            sums[t] = new double[SLOTS[t]];
            counts[t] = new int[SLOTS[t]];
            maxima[t] = new float[SLOTS[t]];
        }
    }

    /**
     * Adds one sample taken at {@code epochMillis}. Allocation-free.
     *
     * @param epochMillis when the sample was taken
     * @param value the sample
     */
    public synchronized void add(long epochMillis, double value) {
        for (int t = 0; t < 3; t++) {
            long slot;
            int i;
            long start = lastSlot[t] * resolutionMillis[t];
            if (lastSlot[t] != Long.MIN_VALUE && epochMillis >= start && epochMillis - start < resolutionMillis[t]) {
                slot = lastSlot[t]; // same slot as the last sample: no division
                i = lastIndex[t];
            } else {
                slot = Math.floorDiv(epochMillis, resolutionMillis[t]);
                i = (int) Math.floorMod(slot, (long) SLOTS[t]);
                lastSlot[t] = slot;
                lastIndex[t] = i;
            }
            if (slotIds[t][i] != slot) {
                if (slotIds[t][i] > slot) {
                    continue; // older than what the ring holds: dropped from this tier
                }
                slotIds[t][i] = slot;
                sums[t][i] = 0;
                counts[t][i] = 0;
                maxima[t][i] = Float.NEGATIVE_INFINITY;
            }
            sums[t][i] += value;
            counts[t][i]++;
            if (value > maxima[t][i]) {
                maxima[t][i] = (float) value;
            }
        }
        if (epochMillis >= lastMillis) {
            lastMillis = epochMillis;
            lastValue = value;
        }
        samples++;
    }

    /** {@return the most recent sample, NaN before the first (check {@link #isEmpty()})} */
    public synchronized double lastValue() {
        return lastValue;
    }

    /** {@return when the most recent sample was taken} */
    public synchronized long lastMillis() {
        return lastMillis;
    }

    /** {@return whether no sample was added yet} */
    public synchronized boolean isEmpty() {
        return samples == 0;
    }

    /** {@return the samples added since creation} */
    public synchronized long sampleCount() {
        return samples;
    }

    /**
     * {@return the mean of the samples in {@code [nowMillis - window, nowMillis]}, from the finest tier that
     * covers the window; NaN when there is none}
     *
     * @param nowMillis the current time, epoch milliseconds
     * @param window how far back
     */
    public synchronized double mean(long nowMillis, Duration window) {
        long w = window.toMillis();
        int t = tierFor(w);
        long from = Math.floorDiv(nowMillis - w, resolutionMillis[t]);
        long to = Math.floorDiv(nowMillis, resolutionMillis[t]);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < SLOTS[t]; i++) {
            long id = slotIds[t][i];
            if (id >= from && id <= to) {
                sum += sums[t][i];
                n += counts[t][i];
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * {@return the per-slot means of the last {@code window} (up to 24 h) from the finest tier that covers it,
     * oldest first: {@code [i][0]} the slot's start (epoch ms), {@code [i][1]} its mean, {@code [i][2]}
     * its maximum} Allocates; for reports.
     *
     * @param nowMillis the current time, epoch milliseconds
     * @param window how far back
     */
    public synchronized double[][] points(long nowMillis, Duration window) {
        long w = window.toMillis();
        int t = tierFor(w);
        long from = Math.floorDiv(nowMillis - w, resolutionMillis[t]);
        long to = Math.floorDiv(nowMillis, resolutionMillis[t]);
        int n = 0;
        for (int i = 0; i < SLOTS[t]; i++) {
            if (slotIds[t][i] >= from && slotIds[t][i] <= to && counts[t][i] > 0) {
                n++;
            }
        }
        double[][] out = new double[n][];
        int k = 0;
        for (long s = from; s <= to && k < n; s++) {
            int i = (int) Math.floorMod(s, (long) SLOTS[t]);
            if (slotIds[t][i] == s && counts[t][i] > 0) {
                out[k++] = new double[] {s * resolutionMillis[t], sums[t][i] / counts[t][i], maxima[t][i]};
            }
        }
        return k == n ? out : java.util.Arrays.copyOf(out, k);
    }

    private int tierFor(long windowMillis) {
        for (int t = 0; t < 3; t++) {
            if (windowMillis <= resolutionMillis[t] * (SLOTS[t] - 1)) {
                return t;
            }
        }
        return 2;
    }
}
