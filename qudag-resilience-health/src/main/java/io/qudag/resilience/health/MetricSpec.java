package io.qudag.resilience.health;

import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.health.HealthIndicator;
import io.qudag.resilience.core.health.IndicatorDirection;
import java.time.Duration;
import java.util.Objects;

/**
 * One monitored metric of spec §2.1 ({@code monitoring_dimensions}): its dimension, which way it goes
 * bad, how often it is collected, and its warning / critical / emergency thresholds. Immutable; build
 * with {@link #builder(String)}, or take the spec's defaults from {@link MetricSpecs}.
 *
 * <h2>Thresholds and hysteresis</h2>
 * For {@link IndicatorDirection#HIGHER_IS_WORSE} the thresholds must rise (warning &lt; critical &lt;
 * emergency), for {@link IndicatorDirection#LOWER_IS_WORSE} they must fall. A level is entered when a
 * sample reaches its threshold and left only when a sample is better than the threshold by
 * {@link #hysteresis()} (default a tenth of the warning-to-critical distance), so a value that hovers
 * on a threshold raises one alert, not one per sample.
 *
 * <h2>Score</h2>
 * {@link #indicator()} turns the spec into core's {@link HealthIndicator}: 100 at the {@link #ideal()},
 * 75 at the warning threshold, falling linearly to 0 at the emergency threshold.
 */
public final class MetricSpec {

    private final String name;
    private final HealthCategory category;
    private final IndicatorDirection direction;
    private final Duration collectionInterval;
    private final double warning;
    private final double critical;
    private final double emergency;
    private final double hysteresis;
    private final double ideal;
    private final String unit;

    private MetricSpec(Builder b, double hysteresis, double ideal) {
        this.name = b.name;
        this.category = b.category;
        this.direction = b.direction;
        this.collectionInterval = b.collectionInterval;
        this.warning = b.warning;
        this.critical = b.critical;
        this.emergency = b.emergency;
        this.hysteresis = hysteresis;
        this.ideal = ideal;
        this.unit = b.unit;
    }

    /**
     * {@return a builder for the metric {@code name} (e.g. {@code "cpu_utilization"})}
     *
     * @param name the metric's name; not blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the metric's name, unique in a monitoring system} */
    public String name() {
        return name;
    }

    /** {@return the dimension the metric belongs to (SYSTEM, APPLICATION, BUSINESS)} */
    public HealthCategory category() {
        return category;
    }

    /** {@return whether higher or lower values are worse} */
    public IndicatorDirection direction() {
        return direction;
    }

    /** {@return how often the metric's source is read} */
    public Duration collectionInterval() {
        return collectionInterval;
    }

    /** {@return the WARNING threshold, in the metric's unit} */
    public double warning() {
        return warning;
    }

    /** {@return the CRITICAL threshold, in the metric's unit} */
    public double critical() {
        return critical;
    }

    /** {@return the EMERGENCY threshold, in the metric's unit} */
    public double emergency() {
        return emergency;
    }

    /**
     * {@return the threshold of {@code level}; NaN for {@link AlertLevel#NONE}}
     *
     * @param level the alert level
     */
    public double threshold(AlertLevel level) {
        switch (level) {
            case WARNING:
                return warning;
            case CRITICAL:
                return critical;
            case EMERGENCY:
                return emergency;
            default:
                return Double.NaN;
        }
    }

    /** {@return how far past a threshold (towards good) a sample must be to leave that level} */
    public double hysteresis() {
        return hysteresis;
    }

    /** {@return the best value: it scores 100} */
    public double ideal() {
        return ideal;
    }

    /** {@return the unit for reports ("%", "ms", "ops/s", ...)} */
    public String unit() {
        return unit;
    }

    /**
     * {@return whether {@code value} is at or beyond {@code threshold} in the bad direction}
     *
     * @param value a sample
     * @param threshold one of the thresholds
     */
    public boolean reaches(double value, double threshold) {
        return direction == IndicatorDirection.HIGHER_IS_WORSE ? value >= threshold : value <= threshold;
    }

    /**
     * {@return the alert level of {@code value} without hysteresis}
     *
     * @param value a sample
     */
    public AlertLevel levelOf(double value) {
        if (reaches(value, emergency)) {
            return AlertLevel.EMERGENCY;
        }
        if (reaches(value, critical)) {
            return AlertLevel.CRITICAL;
        }
        if (reaches(value, warning)) {
            return AlertLevel.WARNING;
        }
        return AlertLevel.NONE;
    }

    /**
     * Core's indicator for this metric in {@code category} weight 1: 100 at the ideal, 75 at the warning
     * threshold, 0 at the emergency threshold.
     *
     * @return the indicator, scoring this metric's mean
     */
    public HealthIndicator indicator() {
        double b = (emergency - ideal) / (warning - ideal);
        return HealthIndicator.builder(name).threshold(warning).ideal(ideal).direction(direction)
                .category(category).weight(1.0).scoreAtThreshold(75).zeroScoreMultiple(b).build();
    }

    /** {@return a builder holding this spec's settings} */
    public Builder toBuilder() {
        return new Builder(name).category(category).direction(direction).collectionInterval(collectionInterval)
                .thresholds(warning, critical, emergency).hysteresis(hysteresis).ideal(ideal).unit(unit);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricSpec m && name.equals(m.name) && category == m.category
                && direction == m.direction && collectionInterval.equals(m.collectionInterval)
                && Double.compare(warning, m.warning) == 0 && Double.compare(critical, m.critical) == 0
                && Double.compare(emergency, m.emergency) == 0 && Double.compare(hysteresis, m.hysteresis) == 0
                && Double.compare(ideal, m.ideal) == 0 && unit.equals(m.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, category, direction, collectionInterval, warning, critical, emergency);
    }

    @Override
    public String toString() {
        return "MetricSpec[" + name + " " + category + " " + direction + " every " + collectionInterval
                + ", warning " + warning + ", critical " + critical + ", emergency " + emergency + " " + unit + "]";
    }

    /** Builds a {@link MetricSpec}; {@link #build()} validates every field. */
    public static final class Builder {
        private final String name;
        private HealthCategory category = HealthCategory.APPLICATION;
        private IndicatorDirection direction = IndicatorDirection.HIGHER_IS_WORSE;
        private Duration collectionInterval = Duration.ofSeconds(5);
        private double warning = Double.NaN;
        private double critical = Double.NaN;
        private double emergency = Double.NaN;
        private double hysteresis = Double.NaN;
        private double ideal = Double.NaN;
        private String unit = "";

        private Builder(String name) {
            this.name = name;
        }

        /**
         * SYSTEM, APPLICATION (default) or BUSINESS; PREDICTIVE is computed, not collected.
         *
         * @param category non-null
         * @return this builder
         */
        public Builder category(HealthCategory category) {
            this.category = category;
            return this;
        }

        /**
         * Default HIGHER_IS_WORSE.
         *
         * @param direction non-null
         * @return this builder
         */
        public Builder direction(IndicatorDirection direction) {
            this.direction = direction;
            return this;
        }

        /**
         * Default 5 s.
         *
         * @param collectionInterval how often the metric's source is read; positive
         * @return this builder
         */
        public Builder collectionInterval(Duration collectionInterval) {
            this.collectionInterval = collectionInterval;
            return this;
        }

        /**
         * Required: the three thresholds, ordered in the direction of badness.
         *
         * @param warning the WARNING threshold
         * @param critical the CRITICAL threshold
         * @param emergency the EMERGENCY threshold
         * @return this builder
         */
        public Builder thresholds(double warning, double critical, double emergency) {
            this.warning = warning;
            this.critical = critical;
            this.emergency = emergency;
            return this;
        }

        /**
         * Default: a tenth of the warning-to-critical distance. Must be {@code >= 0}.
         *
         * @param hysteresis how far past a threshold, towards good, a sample must be to leave that level
         * @return this builder
         */
        public Builder hysteresis(double hysteresis) {
            this.hysteresis = hysteresis;
            return this;
        }

        /**
         * The value scoring 100. Default 0 for HIGHER_IS_WORSE; required for LOWER_IS_WORSE.
         *
         * @param ideal on the good side of the warning threshold
         * @return this builder
         */
        public Builder ideal(double ideal) {
            this.ideal = ideal;
            return this;
        }

        /**
         * The unit shown in reports, e.g. {@code "%"}, {@code "ms"}; default none.
         *
         * @param unit the unit
         * @return this builder
         */
        public Builder unit(String unit) {
            this.unit = unit;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the immutable spec
         * @throws IllegalArgumentException naming the field and the value on any bad setting
         */
        public MetricSpec build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
            }
            String p = name + ".";
            if (category == null || category == HealthCategory.PREDICTIVE) {
                throw new IllegalArgumentException(p + "category must be SYSTEM, APPLICATION or BUSINESS, was " + category);
            }
            if (direction == null) {
                throw new IllegalArgumentException(p + "direction must not be null, was null");
            }
            if (collectionInterval == null || collectionInterval.isNegative() || collectionInterval.isZero()) {
                throw new IllegalArgumentException(p + "collectionInterval must be > 0, was " + collectionInterval);
            }
            finite(p + "warning", warning);
            finite(p + "critical", critical);
            finite(p + "emergency", emergency);
            if (direction == IndicatorDirection.HIGHER_IS_WORSE) {
                if (!(warning < critical)) {
                    throw new IllegalArgumentException(p + "warning must be below critical for HIGHER_IS_WORSE, was "
                            + warning + " >= " + critical);
                }
                if (!(critical < emergency)) {
                    throw new IllegalArgumentException(p + "critical must be below emergency for HIGHER_IS_WORSE, was "
                            + critical + " >= " + emergency);
                }
            } else {
                if (!(warning > critical)) {
                    throw new IllegalArgumentException(p + "warning must be above critical for LOWER_IS_WORSE, was "
                            + warning + " <= " + critical);
                }
                if (!(critical > emergency)) {
                    throw new IllegalArgumentException(p + "critical must be above emergency for LOWER_IS_WORSE, was "
                            + critical + " <= " + emergency);
                }
            }
            double h = Double.isNaN(hysteresis) ? Math.abs(critical - warning) / 10 : hysteresis;
            finite(p + "hysteresis", h);
            if (h < 0) {
                throw new IllegalArgumentException(p + "hysteresis must be >= 0, was " + h);
            }
            double i;
            if (Double.isNaN(ideal)) {
                if (direction == IndicatorDirection.LOWER_IS_WORSE) {
                    throw new IllegalArgumentException(p + "ideal is required for LOWER_IS_WORSE, was not set");
                }
                i = 0.0;
            } else {
                i = finite(p + "ideal", ideal);
            }
            if (i < 0) {
                throw new IllegalArgumentException(p + "ideal must be >= 0, was " + i);
            }
            if (direction == IndicatorDirection.HIGHER_IS_WORSE ? !(i < warning) : !(i > warning)) {
                throw new IllegalArgumentException(p + "ideal must be on the good side of warning (" + warning
                        + ") for " + direction + ", was " + i);
            }
            if (warning < 0 || critical < 0 || emergency < 0) {
                throw new IllegalArgumentException(p + "thresholds must be >= 0, were " + warning + ", " + critical
                        + ", " + emergency);
            }
            if (unit == null) {
                throw new IllegalArgumentException(p + "unit must not be null, was null");
            }
            return new MetricSpec(this, h, i);
        }

        private static double finite(String field, double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(field + " must be a finite number, was " + v);
            }
            return v;
        }
    }
}
