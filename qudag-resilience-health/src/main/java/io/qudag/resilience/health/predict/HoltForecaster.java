package io.qudag.resilience.health.predict;

import io.qudag.resilience.health.spi.Forecaster;

/**
 * Holt's linear trend (double exponential smoothing) for failure prediction (spec §2.1
 * {@code failure_prediction}): level {@code l}, trend {@code b}, forecast {@code l + h b}; with
 * {@link #stepsToReach(double)} the time until a threshold is crossed. One-step errors feed an
 * exponentially weighted variance for confidence. Allocation-free.
 */
public final class HoltForecaster implements Forecaster {

    private final double alpha;
    private final double beta;
    private final int warmup;
    private double level;
    private double trend;
    private double errVar;
    private long n;

    /**
     * @param alpha  level smoothing in (0, 1]
     * @param beta   trend smoothing in (0, 1]
     * @param warmup samples before {@link #ready()} ({@code >= 2})
     */
    public HoltForecaster(double alpha, double beta, int warmup) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
        }
        if (!(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException("beta must be in (0, 1], was " + beta);
        }
        if (warmup < 2) {
            throw new IllegalArgumentException("warmup must be >= 2, was " + warmup);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.warmup = warmup;
    }

    /** alpha 0.3, beta 0.05, warm-up 10 samples. */
    public static HoltForecaster defaults() {
        return new HoltForecaster(0.3, 0.05, 10);
    }

    @Override
    public void update(double value) {
        if (n == 0) {
            level = value;
            trend = 0;
        } else if (n == 1) {
            trend = value - level;
            level = value;
        } else {
            double predicted = level + trend;
            double err = value - predicted;
            errVar = n == 2 ? err * err : 0.95 * errVar + 0.05 * err * err;
            double previous = level;
            level = alpha * value + (1 - alpha) * (level + trend);
            trend = beta * (level - previous) + (1 - beta) * trend;
        }
        n++;
    }

    @Override
    public boolean ready() {
        return n >= warmup;
    }

    @Override
    public double forecast(int steps) {
        if (!ready()) {
            throw new IllegalStateException("forecast needs " + warmup + " samples, has " + n);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, was " + steps);
        }
        return level + steps * trend;
    }

    @Override
    public double residualStdDev() {
        return Math.sqrt(errVar);
    }

    @Override
    public double trend() {
        return trend;
    }

    public double level() {
        return level;
    }

    /**
     * Steps until the forecast reaches {@code threshold} from below (rising trend) or above (falling
     * trend); {@code Double.POSITIVE_INFINITY} when the trend points away; 0 when already there.
     */
    public double stepsToReach(double threshold) {
        double gap = threshold - level;
        if (gap == 0 || Math.signum(gap) == 0) {
            return 0;
        }
        if (trend == 0 || Math.signum(trend) != Math.signum(gap)) {
            return Double.POSITIVE_INFINITY;
        }
        return gap / trend;
    }
}
