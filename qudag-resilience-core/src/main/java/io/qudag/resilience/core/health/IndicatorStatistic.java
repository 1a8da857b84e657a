package io.qudag.resilience.core.health;

/**
 * Which statistic of a {@link SlidingTimeWindow} a {@link HealthIndicator} is judged on (spec §1.2,
 * "evaluation_window"). See {@link WindowSnapshot#value(IndicatorStatistic)}.
 */
public enum IndicatorStatistic {
    /** Arithmetic mean of the samples. The mean of 0/1 samples is a ratio, e.g. an error rate. */
    MEAN,
    /** 95th percentile of the samples (from an HdrHistogram, about 1% relative precision). */
    P95,
    /** Largest sample. */
    MAX,
    /** Samples per second over the window (count divided by the window length). */
    RATE_PER_SECOND,
    /** Number of samples in the window. */
    COUNT
}
