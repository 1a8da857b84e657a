package io.qudag.resilience.core.health;

import io.qudag.resilience.core.health.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * One health metric with its threshold, direction, weight and evaluation window (spec §1.2
 * {@code primary_indicators}/{@code secondary_indicators}, §2.1), and the documented function that
 * maps a value of the metric to a 0–100 score. Immutable; build with {@link #builder(String)}.
 *
 * <h2>The scoring function</h2>
 * Let {@code b = (value - ideal) / (threshold - ideal)}, the "badness": 0 at the ideal, 1 at the
 * threshold, whichever the {@link #direction()}. Then
 * <pre>
 *   b &lt;= 0          -&gt; 100
 *   0 &lt; b &lt;= 1      -&gt; 100 - (100 - scoreAtThreshold) * b          (linear from 100 to scoreAtThreshold)
 *   b &gt; 1          -&gt; scoreAtThreshold * max(0, (zeroScoreMultiple - b) / (zeroScoreMultiple - 1))
 * </pre>
 * so with the defaults (scoreAtThreshold 75, zeroScoreMultiple 2) a response time with threshold
 * 500 ms scores 100 at 0 ms, 87.5 at 250 ms, 75 at 500 ms, 37.5 at 750 ms and 0 from 1000 ms on.
 * The score is in [0, 100] and never rises as the value gets worse.
 *
 * <h2>Defaults</h2>
 * direction HIGHER_IS_WORSE, weight 1.0, evaluation window 60 s, statistic MEAN, category APPLICATION,
 * ideal 0 (HIGHER_IS_WORSE) or 1.0 (LOWER_IS_WORSE with {@code 0 < threshold < 1}; otherwise the ideal
 * must be given), scoreAtThreshold 75, zeroScoreMultiple 2.0, not a fraction. The threshold has no
 * default. Values are non-negative, so threshold and ideal must be {@code >= 0}; for a
 * {@linkplain Builder#fraction(boolean) fraction} indicator (a ratio, 0..1) they must lie in [0, 1].
 */
public final class HealthIndicator {

    private final String metric;
    private final double threshold;
    private final IndicatorDirection direction;
    private final double weight;
    private final Duration evaluationWindow;
    private final IndicatorStatistic statistic;
    private final HealthCategory category;
    private final double ideal;
    private final double scoreAtThreshold;
    private final double zeroScoreMultiple;
    private final boolean fraction;

    private HealthIndicator(Builder b, double ideal) {
        this.metric = b.metric;
        this.threshold = b.threshold;
        this.direction = b.direction;
        this.weight = b.weight;
        this.evaluationWindow = b.evaluationWindow;
        this.statistic = b.statistic;
        this.category = b.category;
        this.ideal = ideal;
        this.scoreAtThreshold = b.scoreAtThreshold;
        this.zeroScoreMultiple = b.zeroScoreMultiple;
        this.fraction = b.fraction;
    }

    /**
     * {@return a builder for the indicator of {@code metric} (e.g. {@code "response_time"})}
     *
     * @param metric the metric's name; not blank, unique in a model
     */
    public static Builder builder(String metric) {
        return new Builder(metric);
    }

    /** {@return the metric name, unique within a {@link HealthModel}} */
    public String metric() {
        return metric;
    }

    /** {@return the value at which the indicator scores {@link #scoreAtThreshold()}} */
    public double threshold() {
        return threshold;
    }

    /** {@return whether higher or lower values are worse} */
    public IndicatorDirection direction() {
        return direction;
    }

    /** {@return the weight within the indicator's {@link #category()}} */
    public double weight() {
        return weight;
    }

    /** {@return the length of the sliding window the statistic is taken over} */
    public Duration evaluationWindow() {
        return evaluationWindow;
    }

    /** {@return the statistic taken over the window (mean, p95, max, rate, count)} */
    public IndicatorStatistic statistic() {
        return statistic;
    }

    /** {@return the category the indicator's score counts towards} */
    public HealthCategory category() {
        return category;
    }

    /** {@return the best value: it scores 100 (and so does anything better)} */
    public double ideal() {
        return ideal;
    }

    /** {@return the score exactly at the threshold (default 75, the bottom of GOOD)} */
    public double scoreAtThreshold() {
        return scoreAtThreshold;
    }

    /** {@return the multiple of the ideal-to-threshold distance at which the score reaches 0 (default 2)} */
    public double zeroScoreMultiple() {
        return zeroScoreMultiple;
    }

    /** {@return whether values are fractions in [0, 1] (ratios such as an error rate)} */
    public boolean fraction() {
        return fraction;
    }

    /**
     * Maps {@code value} to a score in [0, 100] by the function in the class comment.
     *
     * @throws IllegalArgumentException when {@code value} is NaN (the message names the metric)
     * @param value the statistic's current value
     * @return the score: 100 at or beyond the ideal, {@code scoreAtThreshold} at the threshold, 0 from the zero-score point on
     */
    public double score(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(metric + ": value must not be NaN, was " + value);
        }
        double b = (value - ideal) / (threshold - ideal);
        if (b <= 0) {
            return 100.0;
        }
        if (b <= 1) {
            return 100.0 - (100.0 - scoreAtThreshold) * b;
        }
        return scoreAtThreshold * Math.max(0.0, (zeroScoreMultiple - b) / (zeroScoreMultiple - 1.0));
    }

    /**
     * {@return a copy with another weight (validated like the builder's)}
     *
     * @param weight the new weight, {@code >= 0}
     */
    public HealthIndicator withWeight(double weight) {
        return toBuilder().weight(weight).build();
    }

    /** {@return a builder holding this indicator's settings} */
    public Builder toBuilder() {
        return new Builder(metric).threshold(threshold).direction(direction).weight(weight)
                .evaluationWindow(evaluationWindow).statistic(statistic).category(category).ideal(ideal)
                .scoreAtThreshold(scoreAtThreshold).zeroScoreMultiple(zeroScoreMultiple).fraction(fraction);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HealthIndicator other)) {
            return false;
        }
        return metric.equals(other.metric) && Double.compare(threshold, other.threshold) == 0
                && direction == other.direction && Double.compare(weight, other.weight) == 0
                && evaluationWindow.equals(other.evaluationWindow) && statistic == other.statistic
                && category == other.category && Double.compare(ideal, other.ideal) == 0
                && Double.compare(scoreAtThreshold, other.scoreAtThreshold) == 0
                && Double.compare(zeroScoreMultiple, other.zeroScoreMultiple) == 0 && fraction == other.fraction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, threshold, direction, weight, evaluationWindow, statistic, category, ideal,
                scoreAtThreshold, zeroScoreMultiple, fraction);
    }

    @Override
    public String toString() {
        return "HealthIndicator[" + metric + " " + statistic + " over " + evaluationWindow + ", threshold "
                + threshold + ", ideal " + ideal + ", " + direction + ", " + category + " weight " + weight + "]";
    }

    /** Builds a {@link HealthIndicator}; {@link #build()} validates every field. */
    public static final class Builder {
        private final String metric;
        private double threshold = Double.NaN;
        private boolean thresholdSet;
        private IndicatorDirection direction = IndicatorDirection.HIGHER_IS_WORSE;
        private double weight = 1.0;
        private Duration evaluationWindow = Duration.ofSeconds(60);
        private IndicatorStatistic statistic = IndicatorStatistic.MEAN;
        private HealthCategory category = HealthCategory.APPLICATION;
        private double ideal = Double.NaN;
        private boolean idealSet;
        private double scoreAtThreshold = 75.0;
        private double zeroScoreMultiple = 2.0;
        private boolean fraction;

        private Builder(String metric) {
            this.metric = metric;
        }

        /**
         * Required. The value that scores {@code scoreAtThreshold}.
         *
         * @param threshold {@code >= 0}; in [0, 1] for a fraction
         * @return this builder
         */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            this.thresholdSet = true;
            return this;
        }

        /**
         * Whether higher or lower values are worse; default HIGHER_IS_WORSE.
         *
         * @param direction non-null
         * @return this builder
         */
        public Builder direction(IndicatorDirection direction) {
            this.direction = direction;
            return this;
        }

        /**
         * Weight within the category, {@code >= 0}; the weights of a category must sum to 1 in a model.
         *
         * @param weight the weight; default 1.0
         * @return this builder
         */
        public Builder weight(double weight) {
            this.weight = weight;
            return this;
        }

        /**
         * Length of the sliding window the statistic is taken over; default 60 s.
         *
         * @param evaluationWindow a positive duration of at most 100 years
         * @return this builder
         */
        public Builder evaluationWindow(Duration evaluationWindow) {
            this.evaluationWindow = evaluationWindow;
            return this;
        }

        /**
         * The statistic taken over the window; default MEAN.
         *
         * @param statistic non-null
         * @return this builder
         */
        public Builder statistic(IndicatorStatistic statistic) {
            this.statistic = statistic;
            return this;
        }

        /**
         * The category the score counts towards; default APPLICATION.
         *
         * @param category non-null
         * @return this builder
         */
        public Builder category(HealthCategory category) {
            this.category = category;
            return this;
        }

        /**
         * The best value; must lie on the good side of the threshold for the direction.
         *
         * @param ideal default 0 for HIGHER_IS_WORSE, 1.0 for a LOWER_IS_WORSE fraction
         * @return this builder
         */
        public Builder ideal(double ideal) {
            this.ideal = ideal;
            this.idealSet = true;
            return this;
        }

        /**
         * The score at the threshold, in [0, 100].
         *
         * @param scoreAtThreshold default 75 (the bottom of GOOD)
         * @return this builder
         */
        public Builder scoreAtThreshold(double scoreAtThreshold) {
            this.scoreAtThreshold = scoreAtThreshold;
            return this;
        }

        /**
         * Where the score reaches 0, as a multiple of the ideal-to-threshold distance; {@code > 1}.
         *
         * @param zeroScoreMultiple default 2.0; finite
         * @return this builder
         */
        public Builder zeroScoreMultiple(double zeroScoreMultiple) {
            this.zeroScoreMultiple = zeroScoreMultiple;
            return this;
        }

        /**
         * Marks the values as fractions in [0, 1]; threshold and ideal are then checked against [0, 1].
         *
         * @param fraction true for ratios such as an error rate; default false
         * @return this builder
         */
        public Builder fraction(boolean fraction) {
            this.fraction = fraction;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field and the value on any bad setting
         * @return the immutable indicator
         */
        public HealthIndicator build() {
            Checks.name("metric", metric);
            String p = metric + ".";
            if (!thresholdSet) {
                throw new IllegalArgumentException(p + "threshold is required, was not set");
            }
            Checks.notNull(p + "direction", direction);
            Checks.notNull(p + "statistic", statistic);
            Checks.notNull(p + "category", category);
            Checks.positive(p + "evaluationWindow", evaluationWindow);
            Checks.nonNegative(p + "weight", weight);
            if (fraction) {
                Checks.inRange(p + "threshold (a fraction)", threshold, 0.0, 1.0);
            } else {
                Checks.nonNegative(p + "threshold", threshold);
            }
            double effectiveIdeal = idealSet ? ideal : defaultIdeal(p);
            if (fraction) {
                Checks.inRange(p + "ideal (a fraction)", effectiveIdeal, 0.0, 1.0);
            } else {
                Checks.nonNegative(p + "ideal", effectiveIdeal);
            }
            if (direction == IndicatorDirection.HIGHER_IS_WORSE && !(effectiveIdeal < threshold)) {
                throw new IllegalArgumentException(p + "threshold must be > ideal (" + effectiveIdeal
                        + ") for HIGHER_IS_WORSE, was " + threshold);
            }
            if (direction == IndicatorDirection.LOWER_IS_WORSE && !(effectiveIdeal > threshold)) {
                throw new IllegalArgumentException(p + "ideal must be > threshold (" + threshold
                        + ") for LOWER_IS_WORSE, was " + effectiveIdeal);
            }
            Checks.inRange(p + "scoreAtThreshold", scoreAtThreshold, 0.0, 100.0);
            Checks.finite(p + "zeroScoreMultiple", zeroScoreMultiple);
            if (!(zeroScoreMultiple > 1.0)) {
                throw new IllegalArgumentException(p + "zeroScoreMultiple must be > 1, was " + zeroScoreMultiple);
            }
            return new HealthIndicator(this, effectiveIdeal);
        }

        private double defaultIdeal(String p) {
            if (direction == IndicatorDirection.HIGHER_IS_WORSE) {
                return 0.0;
            }
            if (threshold > 0 && threshold < 1) {
                return 1.0;
            }
            throw new IllegalArgumentException(p + "ideal is required for LOWER_IS_WORSE when threshold is not in (0, 1),"
                    + " threshold was " + threshold);
        }
    }
}
