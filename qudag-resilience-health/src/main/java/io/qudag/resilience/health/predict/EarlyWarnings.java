package io.qudag.resilience.health.predict;

import io.qudag.resilience.core.health.IndicatorDirection;
import io.qudag.resilience.health.MetricSpec;
import io.qudag.resilience.health.spi.Forecaster;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a forecaster's state into the early-warning levels of spec §2.1. With {@code step} the time
 * between samples, {@code h} the steps in a level's advance notice, {@code f(h)} the point forecast
 * and {@code sd(h)} the forecaster's {@linkplain Forecaster#forecastStdDev(int) forecast deviation},
 * the confidence of crossing the critical threshold within the notice is
 * {@code Phi((f(h) - critical) / sd(h))} (sign flipped for LOWER_IS_WORSE). Levels are tried from
 * EMERGENCY down: the first whose confidence exceeds its minimum wins; ADVISORY needs the point
 * forecast to cross within 30 min with confidence above {@value #ADVISORY_CONFIDENCE} (a trend, not
 * noise). A metric already past its critical threshold is an EMERGENCY with confidence 1.
 */
public final class EarlyWarnings {

    /** ADVISORY needs the point forecast to cross within 30 min and at least this confidence. */
    public static final double ADVISORY_CONFIDENCE = 0.6;

    /** The levels tried with the confidence test, most severe first. */
    private static final EarlyWarningLevel[] LEVELS =
            {EarlyWarningLevel.EMERGENCY, EarlyWarningLevel.ALERT, EarlyWarningLevel.CAUTION};
    private static final long ADVISORY_NOTICE_MILLIS = EarlyWarningLevel.ADVISORY.advanceNotice().toMillis();

    private EarlyWarnings() {
    }

    /**
     * {@return the warning for one series, or empty when nothing is predicted (or the forecaster is not ready)}
     *
     * @param subject the monitored subject
     * @param spec the metric's thresholds and direction
     * @param f the series' forecaster
     * @param current the latest value
     * @param step the time between two samples
     * @param at the current instant
     */
    public static Optional<EarlyWarning> assess(String subject, MetricSpec spec, Forecaster f, double current,
                                                Duration step, Instant at) {
        if (!f.ready() || step.isZero() || step.isNegative()) {
            return Optional.empty();
        }
        return Optional.ofNullable(warning(subject, spec, f, current, step.toMillis(), at));
    }

    /**
     * Like {@link #assess(String, MetricSpec, Forecaster, double, Duration, Instant)} with the step in whole
     * milliseconds, returning null instead of an empty {@code Optional}: allocates nothing unless it returns a
     * warning (the evaluation of many subjects calls it for every series).
     *
     * @param subject the monitored subject
     * @param spec the metric's thresholds and direction
     * @param f the series' forecaster
     * @param current the latest value
     * @param stepMillis the time between two samples, milliseconds
     * @param at the current instant
     * @return the warning, or null when nothing is predicted (or the forecaster is not ready, or the step is not positive)
     */
    public static EarlyWarning warningOrNull(String subject, MetricSpec spec, Forecaster f, double current,
                                             long stepMillis, Instant at) {
        if (!f.ready() || stepMillis <= 0) {
            return null;
        }
        return warning(subject, spec, f, current, stepMillis, at);
    }

    /** The assessment of a ready forecaster with a positive or sub-millisecond step; null when nothing is predicted. */
    private static EarlyWarning warning(String subject, MetricSpec spec, Forecaster f, double current, long stepLong,
                                        Instant at) {
        double critical = spec.critical();
        boolean up = spec.direction() == IndicatorDirection.HIGHER_IS_WORSE;
        double trendPerStep = f.trend();
        if (spec.reaches(current, critical)) {
            return new EarlyWarning(subject, spec.name(), EarlyWarningLevel.EMERGENCY, 1.0, Duration.ZERO,
                    critical, String.format(Locale.ROOT, "%s at %.3g, past critical %.3g", spec.name(), current, critical),
                    at);
        }
        boolean degrading = up ? trendPerStep > 0 : trendPerStep < 0;
        if (!degrading) {
            return null;
        }
        double stepMillis = stepLong;
        double gapSteps = (critical - f.forecast(1)) / trendPerStep + 1;
        long tttMillis = (long) Math.max(0, Math.min(gapSteps * stepMillis, 1e15));
        for (EarlyWarningLevel level : LEVELS) {
            int h = steps(level, stepMillis);
            double z = (f.forecast(h) - critical) / Math.max(f.forecastStdDev(h), 1e-9);
            double confidence = phi(up ? z : -z);
            if (confidence > level.minConfidence()) {
                return warning(subject, spec, level, confidence, tttMillis, trendPerStep, stepLong, at);
            }
        }
        if (tttMillis > ADVISORY_NOTICE_MILLIS) {
            return null; // the point forecast does not cross within the advisory notice
        }
        int h = steps(EarlyWarningLevel.ADVISORY, stepMillis);
        double z = (f.forecast(h) - critical) / Math.max(f.forecastStdDev(h), 1e-9);
        double confidence = phi(up ? z : -z);
        if (confidence > ADVISORY_CONFIDENCE) {
            return warning(subject, spec, EarlyWarningLevel.ADVISORY, confidence, tttMillis, trendPerStep,
                    stepLong, at);
        }
        return null;
    }

    private static int steps(EarlyWarningLevel level, double stepMillis) {
        return (int) Math.max(1, Math.min(1_000_000, Math.round(level.advanceNotice().toMillis() / stepMillis)));
    }

    private static EarlyWarning warning(String subject, MetricSpec spec, EarlyWarningLevel level, double confidence,
                                        long tttMillis, double trend, long stepMillis, Instant at) {
        Duration ttt = Duration.ofMillis(tttMillis);
        String reason = String.format(Locale.ROOT, "%s %s %.3g %s per %d ms sample, crosses critical %.3g in %d s (%s, confidence %.2f)",
                spec.name(), trend > 0 ? "rising" : "falling", Math.abs(trend), spec.unit(), stepMillis,
                spec.critical(), ttt.toSeconds(), level, confidence);
        return new EarlyWarning(subject, spec.name(), level, Math.min(1.0, Math.max(0.0, confidence)), ttt,
                spec.critical(), reason, at);
    }

    /**
     * {@return the standard normal CDF (Abramowitz-Stegun 7.1.26, error below 1.5e-7)}
     *
     * @param z the standard score
     */
    public static double phi(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
