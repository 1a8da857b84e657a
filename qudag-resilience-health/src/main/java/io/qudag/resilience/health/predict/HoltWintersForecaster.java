package io.qudag.resilience.health.predict;

import io.qudag.resilience.health.spi.Forecaster;

/**
 * Additive Holt-Winters (triple exponential smoothing) for capacity forecasting when a season is
 * configured (spec §2.1 {@code capacity_planning}, {@code seasonal_adjustment}): level, trend and
 * {@code season} seasonal offsets; forecast {@code l + h b + s[(t + h) mod season]}. The first two
 * seasons initialise the components. Allocation-free after construction.
 */
public final class HoltWintersForecaster implements Forecaster {

    private final double alpha;
    private final double beta;
    private final double gamma;
    private final int season;
    private final double[] seasonal;
    private final double[] init;
    private double level;
    private double trend;
    private double errVar;
    private long n;

    /**
     * @param alpha  level smoothing in (0, 1]
     * @param beta   trend smoothing in (0, 1]
     * @param gamma  seasonal smoothing in (0, 1]
     * @param season samples per season ({@code >= 2})
     */
    public HoltWintersForecaster(double alpha, double beta, double gamma, int season) {
        check("alpha", alpha);
        check("beta", beta);
        check("gamma", gamma);
        if (season < 2) {
            throw new IllegalArgumentException("season must be >= 2, was " + season);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.season = season;
        this.seasonal = new double[season];
        this.init = new double[2 * season];
    }

    private static void check(String field, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(field + " must be in (0, 1], was " + v);
        }
    }

    @Override
    public void update(double value) {
        if (n < 2L * season) {
            init[(int) n] = value;
            n++;
            if (n == 2L * season) {
                double m1 = 0;
                double m2 = 0;
                for (int i = 0; i < season; i++) {
                    m1 += init[i];
                    m2 += init[season + i];
                }
                m1 /= season;
                m2 /= season;
                trend = (m2 - m1) / season;
                for (int i = 0; i < season; i++) {
                    seasonal[i] = ((init[i] - m1) + (init[season + i] - m2)) / 2;
                }
                level = m2 + trend * (season - 1) / 2.0;
            }
            return;
        }
        int s = (int) (n % season);
        double predicted = level + trend + seasonal[s];
        double err = value - predicted;
        errVar = errVar == 0 ? err * err : 0.95 * errVar + 0.05 * err * err;
        double previous = level;
        level = alpha * (value - seasonal[s]) + (1 - alpha) * (level + trend);
        trend = beta * (level - previous) + (1 - beta) * trend;
        seasonal[s] = gamma * (value - level) + (1 - gamma) * seasonal[s];
        n++;
    }

    @Override
    public boolean ready() {
        return n >= 2L * season;
    }

    @Override
    public double forecast(int steps) {
        if (!ready()) {
            throw new IllegalStateException("forecast needs " + 2 * season + " samples, has " + n);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, was " + steps);
        }
        return level + steps * trend + seasonal[(int) ((n + steps - 1) % season)];
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
}
