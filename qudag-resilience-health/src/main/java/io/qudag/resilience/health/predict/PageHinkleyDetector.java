package io.qudag.resilience.health.predict;

import io.qudag.resilience.health.spi.AnomalyDetector;

/**
 * The Page-Hinkley change-point test for an upward shift of the mean, used on p95 latency for
 * performance-regression detection (spec §2.1 {@code performance_regression_detection}). After a
 * warm-up of {@code warmup} samples that estimates the noise {@code sigma}, it accumulates
 * {@code m += x - mean - delta sigma} (mean is the running mean since the last reset), keeps the
 * minimum {@code M}, and alarms when {@code m - M > lambda sigma}. After an alarm it starts over (a new
 * warm-up learns the new level), so one regression raises one alarm. Allocation-free.
 */
public final class PageHinkleyDetector implements AnomalyDetector {

    private final double delta;
    private final double lambda;
    private final int warmup;
    private long n;
    private double mean;
    private double m2;
    private double sigma;
    private double cumulative;
    private double minimum;
    private double lastScore;
    private long alarms;

    /**
     * @param delta  tolerated drift per sample, in sigmas ({@code >= 0})
     * @param lambda alarm threshold, in sigmas ({@code > 0})
     * @param warmup samples that estimate the noise ({@code >= 5})
     */
    public PageHinkleyDetector(double delta, double lambda, int warmup) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be a finite number >= 0, was " + delta);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number > 0, was " + lambda);
        }
        if (warmup < 5) {
            throw new IllegalArgumentException("warmup must be >= 5, was " + warmup);
        }
        this.delta = delta;
        this.lambda = lambda;
        this.warmup = warmup;
    }

    /** {@return delta 0.5 sigma, lambda 10 sigma, warm-up 50 samples} */
    public static PageHinkleyDetector defaults() {
        return new PageHinkleyDetector(0.5, 10, 50);
    }

    @Override
    public boolean update(double x) {
        n++;
        double d = x - mean;
        mean += d / n;
        if (n <= warmup) {
            m2 += d * (x - mean);
            if (n == warmup) {
                sigma = Math.max(Math.sqrt(m2 / (n - 1)), 1e-9 * Math.max(1, Math.abs(mean)));
            }
            lastScore = 0;
            return false;
        }
        cumulative += x - mean - delta * sigma;
        minimum = Math.min(minimum, cumulative);
        lastScore = (cumulative - minimum) / sigma;
        if (lastScore > lambda) {
            alarms++;
            reset();
            return true;
        }
        return false;
    }

    @Override
    public double lastScore() {
        return lastScore;
    }

    /** {@return the alarms raised so far} */
    public long alarms() {
        return alarms;
    }

    private void reset() {
        n = 0;
        mean = 0;
        m2 = 0;
        cumulative = 0;
        minimum = 0;
    }
}
