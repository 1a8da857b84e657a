package io.qudag.resilience.core.breaker.internal;

import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveFactor;

/**
 * The pure formulas of the adaptive threshold and the adaptive open duration, exactly as documented
 * on {@link AdaptiveBreakerConfig} (spec §3.1). Stateless; unit-tested with concrete values.
 */
public final class AdaptiveFormulas {

    private AdaptiveFormulas() {
    }

    /** Clamps a signal to [0, 1]; NaN is neutral (0.5). */
    public static double normalise(double signal) {
        if (Double.isNaN(signal)) {
            return 0.5;
        }
        return Math.max(0.0, Math.min(1.0, signal));
    }

    /** {@code Σ weight·signal} over all factors; {@code signals} is indexed by factor ordinal. */
    public static double composite(AdaptiveBreakerConfig config, double[] signals) {
        double c = 0;
        for (AdaptiveFactor f : AdaptiveFactor.values()) {
            c += config.factorWeights().get(f) * normalise(signals[f.ordinal()]);
        }
        // round away float noise so that neutral signals give exactly 0.5
        return Math.max(0.0, Math.min(1.0, Math.round(c * 1e12) / 1e12));
    }

    /** The piecewise-linear multiplier through (0, min), (0.5, 1), (1, max). */
    public static double thresholdMultiplier(AdaptiveBreakerConfig config, double composite) {
        if (composite <= 0.5) {
            return config.thresholdMultiplierMin() + (1.0 - config.thresholdMultiplierMin()) * (composite * 2.0);
        }
        return 1.0 + (config.thresholdMultiplierMax() - 1.0) * (composite * 2.0 - 1.0);
    }

    /** The adapted failure threshold for these signals. */
    public static double threshold(AdaptiveBreakerConfig config, double[] signals) {
        double t = config.baseFailureThreshold() * thresholdMultiplier(config, composite(config, signals));
        return Math.max(config.minFailureThreshold(), Math.min(config.maxFailureThreshold(), t));
    }

    /** How far {@code rate} overshot {@code threshold}, in [0, 1]. */
    public static double severity(double rate, double threshold) {
        if (threshold >= 1.0) {
            return rate >= 1.0 ? 1.0 : 0.0;
        }
        return Math.max(0.0, Math.min(1.0, (rate - threshold) / (1.0 - threshold)));
    }

    /**
     * The open duration in milliseconds.
     *
     * @param severity            in [0, 1], see {@link #severity}
     * @param relapseRatio        relapses among recent recovery attempts, or NaN when there is no history
     * @param load                system load in [0, 1], or NaN when no load signal is configured
     * @param sinceLastOpenMillis time since the previous opening, {@link Long#MAX_VALUE} for none
     * @param consecutiveOpenings openings since last CLOSED, counting this one (>= 1)
     */
    public static long openDurationMillis(AdaptiveBreakerConfig config, double severity, double relapseRatio,
            double load, long sinceLastOpenMillis, int consecutiveOpenings) {
        double m = config.failureSeverity().at(severity);
        m *= config.recoveryHistory().at(Double.isNaN(relapseRatio) ? 0.5 : relapseRatio);
        m *= Double.isNaN(load) ? 1.0 : config.systemLoad().at(load);
        double quiet = Math.min(1.0, sinceLastOpenMillis / (double) config.quietPeriod().toMillis());
        m *= config.timeSinceLastFailure().at(1.0 - quiet);
        double backoff = Math.pow(config.backoffMultiplier(), Math.max(0, consecutiveOpenings - 1));
        double millis = config.baseOpenDuration().toMillis() * m * backoff;
        double cap = config.maxOpenDuration().toMillis();
        return Math.round(Math.min(cap, Math.max(1.0, millis)));
    }
}
