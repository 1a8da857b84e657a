package io.qudag.resilience.core.health;

/**
 * The statistics of the live part of a {@link SlidingTimeWindow} at one moment (spec §1.2,
 * {@code evaluation_window}). With no samples, {@code count} is 0, {@code ratePerSecond} is 0 and
 * {@code mean}, {@code p95} and {@code max} are NaN.
 *
 * @param count         samples in the window
 * @param mean          arithmetic mean (exact up to floating-point summation)
 * @param p95           95th percentile from an HdrHistogram (about 1% relative precision, never above
 *                      {@code max}); NaN when the window does not track percentiles
 * @param max           largest sample (exact)
 * @param ratePerSecond {@code count} divided by the window length in seconds
 */
public record WindowSnapshot(long count, double mean, double p95, double max, double ratePerSecond) {

    /** The snapshot of a window without samples. */
    public static final WindowSnapshot EMPTY = new WindowSnapshot(0, Double.NaN, Double.NaN, Double.NaN, 0.0);

    /** {@return whether the window held no samples} */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * {@return the value of {@code statistic}; COUNT is returned as a double}
     *
     * @param statistic the statistic wanted
     */
    public double value(IndicatorStatistic statistic) {
        return switch (statistic) {
            case MEAN -> mean;
            case P95 -> p95;
            case MAX -> max;
            case RATE_PER_SECOND -> ratePerSecond;
            case COUNT -> count;
        };
    }
}
