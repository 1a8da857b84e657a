package io.qudag.resilience.health.predict;

import io.qudag.resilience.health.spi.Forecaster;

/**
 * Holt's linear trend (double exponential smoothing) for failure prediction (spec §2.1
 * {@code failure_prediction}): level {@code l}, trend {@code b}, forecast {@code l + h b}; with
 * {@link #stepsToReach(double)} the time until a threshold is crossed. The warm-up samples are fitted
 * by least squares to start level, trend and error variance (a noisy first difference would otherwise
 * fake a trend); later one-step errors feed an exponentially weighted variance for confidence.
 * Allocation-free.
 */
public final class HoltForecaster implements Forecaster {

    private final double alpha;
    private final double beta;
    private final int warmup;
    private final double[] first;
    private double level;
    private double trend;
    private double errVar;
    private long n;

    /**
     * @param alpha  level smoothing in (0, 1]
     * @param beta   trend smoothing in (0, 1]
     * @param warmup samples before {@link #ready()}, fitted to start the model ({@code >= 3})
     */
    public HoltForecaster(double alpha, double beta, int warmup) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
        }
        if (!(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException("beta must be in (0, 1], was " + beta);
        }
        if (warmup < 3) {
            throw new IllegalArgumentException("warmup must be >= 3, was " + warmup);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.warmup = warmup;
        this.first = new double[warmup];
    }

    /** {@return alpha 0.3, beta 0.05, warm-up 20 samples} */
    public static HoltForecaster defaults() {
        return new HoltForecaster(0.3, 0.05, 20);
    }

    @Override
    public void update(double value) {
        if (n < warmup) {
            first[(int) n] = value;
            n++;
            if (n == warmup) {
                initialise();
            }
            return;
        }
        double predicted = level + trend;
        double err = value - predicted;
        errVar = 0.95 * errVar + 0.05 * err * err;
        double previous = level;
        level = alpha * value + (1 - alpha) * (level + trend);
        trend = beta * (level - previous) + (1 - beta) * trend;
        n++;
    }

    /** Least-squares line through the warm-up samples: level at the last one, its slope, its residual variance. */
    private void initialise() {
        int k = warmup;
        double mt = (k - 1) / 2.0;
        double mv = 0;
        for (double v : first) {
            mv += v;
        }
        mv /= k;
        double stt = 0;
        double stv = 0;
        for (int i = 0; i < k; i++) {
            stt += (i - mt) * (i - mt);
            stv += (i - mt) * (first[i] - mv);
        }
        trend = stv / stt;
        level = mv + trend * (k - 1 - mt);
        double sse = 0;
        for (int i = 0; i < k; i++) {
            double r = first[i] - (mv + trend * (i - mt));
            sse += r * r;
        }
        errVar = sse / Math.max(1, k - 2);
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

    /**
     * Holt's prediction-interval deviation (Hyndman et al., class 1 state-space models):
     * {@code s sqrt(1 + (h - 1)(alpha^2 + alpha beta h + beta^2 h (2h - 1) / 6))}; the trend's own
     * uncertainty makes it grow much faster than {@code sqrt h}, so far-off crossings of a weak trend
     * are not reported with confidence.
     */
    @Override
    public double forecastStdDev(int steps) {
        double h = steps;
        return residualStdDev() * Math.sqrt(1 + (h - 1) * (alpha * alpha + alpha * beta * h
                + beta * beta * h * (2 * h - 1) / 6));
    }

    /** {@return the smoothed level of the series, in its unit} */
    public double level() {
        return level;
    }

    /**
     * Steps until the forecast reaches {@code threshold} from below (rising trend) or above (falling
     * trend); {@code Double.POSITIVE_INFINITY} when the trend points away; 0 when already there.
     *
     * @param threshold the value to reach
     * @return the number of sampling steps until the forecast reaches it
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
