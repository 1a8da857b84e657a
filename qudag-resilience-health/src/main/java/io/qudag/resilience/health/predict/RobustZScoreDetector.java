package io.qudag.resilience.health.predict;

import io.qudag.resilience.health.spi.AnomalyDetector;
import java.util.Arrays;

/**
 * A streaming robust z-score (spec §2.1 {@code anomaly_detection}): the median and the MAD of the last
 * {@code window} samples stand for mean and standard deviation ({@code sigma = 1.4826 MAD}), so
 * outliers do not inflate the baseline. A sample is anomalous when either
 * <ul>
 *   <li>its own robust z-score exceeds {@code threshold} (a spike), or</li>
 *   <li>the mean of the last 3 samples is more than {@code shiftThreshold} standard errors
 *       ({@code sigma / sqrt 3}) from the median (a level shift, found within 3 samples).</li>
 * </ul>
 * The baseline window holds only samples that were not flagged, so a shift does not teach itself as
 * normal within a few samples; after {@code window} consecutive flags the detector accepts the new
 * level (re-baselines). Allocation-free: the window is kept in arrival order and sorted (one binary
 * search and one array shift per sample), the MAD is found by a binary search in the two sorted deviation
 * runs around the median, so a sample costs O(window) element moves (one array shift) and no sort.
 */
public final class RobustZScoreDetector implements AnomalyDetector {

    private static final double MAD_TO_SIGMA = 1.4826;

    private final int window;
    private final double threshold;
    private final double shiftThreshold;
    private final double[] ring;
    private final double[] sorted;
    private final double[] recent = new double[3];
    private int size;
    private int head;
    private long seen;
    private int consecutiveFlags;
    private double lastScore;

    /**
     * @param window         baseline samples ({@code >= 10})
     * @param threshold      z-score of one sample that flags ({@code > 0})
     * @param shiftThreshold z-score of the mean of the last 3 samples that flags ({@code > 0})
     */
    public RobustZScoreDetector(int window, double threshold, double shiftThreshold) {
        if (window < 10) {
            throw new IllegalArgumentException("window must be >= 10, was " + window);
        }
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number > 0, was " + threshold);
        }
        if (!(shiftThreshold > 0) || Double.isInfinite(shiftThreshold)) {
            throw new IllegalArgumentException("shiftThreshold must be a finite number > 0, was " + shiftThreshold);
        }
        this.window = window;
        this.threshold = threshold;
        this.shiftThreshold = shiftThreshold;
        this.ring = new double[window];
        this.sorted = new double[window];
    }

    /** {@return a detector with window 128, threshold 3.5 for one sample, 3.2 for the mean of three} */
    public static RobustZScoreDetector defaults() {
        return new RobustZScoreDetector(128, 3.5, 3.2);
    }

    @Override
    public boolean update(double value) {
        recent[(int) (seen % 3)] = value;
        seen++;
        if (size < Math.min(window, 20)) {
            add(value);
            lastScore = 0;
            return false;
        }
        double median = median();
        double mad = mad(median);
        double sigma = Math.max(MAD_TO_SIGMA * mad, 1e-9 * Math.max(1, Math.abs(median)));
        double z = Math.abs(value - median) / sigma;
        double zMean = 0;
        if (seen >= 3) {
            double m = (recent[0] + recent[1] + recent[2]) / 3;
            zMean = Math.abs(m - median) / (sigma / Math.sqrt(3));
        }
        lastScore = Math.max(z, zMean * threshold / shiftThreshold);
        boolean anomalous = z > threshold || zMean > shiftThreshold;
        if (anomalous) {
            consecutiveFlags++;
            if (consecutiveFlags >= window) {
                size = 0;
                head = 0;
                consecutiveFlags = 0;
            }
        } else {
            consecutiveFlags = 0;
            add(value);
        }
        return anomalous;
    }

    @Override
    public double lastScore() {
        return lastScore;
    }

    private void add(double value) {
        if (size == window) {
            remove(ring[head]);
        } else {
            size++;
        }
        ring[head] = value;
        head = (head + 1) % window;
        insert(value, size - 1);
    }

    /** Removes one occurrence of {@code v} from sorted[0..size). */
    private void remove(double v) {
        int i = Arrays.binarySearch(sorted, 0, size, v);
        System.arraycopy(sorted, i + 1, sorted, i, size - i - 1);
    }

    /** Inserts {@code v} into sorted[0..n). */
    private void insert(double v, int n) {
        int i = Arrays.binarySearch(sorted, 0, n, v);
        if (i < 0) {
            i = -i - 1;
        }
        System.arraycopy(sorted, i, sorted, i + 1, n - i);
        sorted[i] = v;
    }

    private double median() {
        return (size & 1) == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2;
    }

    /**
     * The median of |x - median|. The deviations left of the median ({@code median - sorted[i]}, i
     * going down) and right of it ({@code sorted[j] - median}, j going up) are two sorted runs; the
     * middle ranks of their union are found by binary search over how many of them come from the left
     * run (selection in two sorted arrays): O(log window), no allocation.
     */
    private double mad(double median) {
        int n = size;
        int j = n / 2;
        while (j > 0 && sorted[j - 1] > median) {
            j--;
        }
        while (j < n && sorted[j] <= median) {
            j++;
        }
        leftEnd = j - 1; // left run: A[t] = median - sorted[leftEnd - t], t < j
        rightStart = j; // right run: B[t] = sorted[rightStart + t] - median, t < n - j
        int r1 = (n - 1) / 2;
        int r2 = n / 2;
        double a = kth(r1, median, j, n - j);
        double b = r2 == r1 ? a : nextAfterKth;
        return (a + b) / 2;
    }

    private int leftEnd;
    private int rightStart;
    /** The value of rank k + 1 found alongside the last {@link #kth}. */
    private double nextAfterKth;

    private double left(int t, double median) {
        return median - sorted[leftEnd - t];
    }

    private double right(int t, double median) {
        return sorted[rightStart + t] - median;
    }

    /**
     * The value of rank {@code k} (0-based) in the union of the runs of lengths {@code na} and
     * {@code nb}; also sets {@link #nextAfterKth} to the value of rank {@code k + 1} (+inf past the end).
     */
    private double kth(int k, double median, int na, int nb) {
        int lo = Math.max(0, k + 1 - nb);
        int hi = Math.min(k + 1, na);
        while (true) {
            int a = (lo + hi) >>> 1; // taken from the left run among the k + 1 smallest
            int b = k + 1 - a;
            if (a > 0 && b < nb && left(a - 1, median) > right(b, median)) {
                hi = a - 1;
            } else if (b > 0 && a < na && right(b - 1, median) > left(a, median)) {
                lo = a + 1;
            } else {
                double la = a > 0 ? left(a - 1, median) : Double.NEGATIVE_INFINITY;
                double rb = b > 0 ? right(b - 1, median) : Double.NEGATIVE_INFINITY;
                double na1 = a < na ? left(a, median) : Double.POSITIVE_INFINITY;
                double nb1 = b < nb ? right(b, median) : Double.POSITIVE_INFINITY;
                nextAfterKth = Math.min(na1, nb1);
                return Math.max(la, rb);
            }
        }
    }
}
