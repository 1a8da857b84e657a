package io.qudag.resilience.health.config;

import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.MetricSpec;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The part of a {@link HealthMonitoringSystem} a configuration file can state (spec §2.1
 * {@code monitoring_dimensions}, {@code health_score_calculation}): metrics added or overriding the
 * defaults, the dimension weights of the composite score, the score window and the fast-interval factor.
 * Listeners, sources and models are code; {@link #applyTo} puts the file's settings on a builder that
 * has them. Immutable; validated when built, so a bad file fails when it is loaded.
 *
 * @param metrics            metrics added, or replacing the default of the same name
 * @param categoryWeights    dimension weights; when any is given, all four are given and sum to 1
 * @param scoreWindow        the window each metric's mean is scored over, if set
 * @param fastIntervalFactor the factor applied to collection intervals below 75, if set
 */
public record HealthMonitoringSettings(List<MetricSpec> metrics, Map<HealthCategory, Double> categoryWeights,
        Optional<Duration> scoreWindow, OptionalDouble fastIntervalFactor) {

    /**
     * Validates the components and copies the collections.
     *
     * @param metrics            metrics added, or replacing the default of the same name
     * @param categoryWeights    dimension weights; when any is given, all four are given and sum to 1
     * @param scoreWindow        the window each metric's mean is scored over, if set
     * @param fastIntervalFactor the factor applied to collection intervals below 75, if set
     * @throws IllegalArgumentException naming the field and value when one is out of range
     */
    public HealthMonitoringSettings {
        metrics = List.copyOf(metrics);
        categoryWeights = categoryWeights.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new EnumMap<>(categoryWeights));
        if (!categoryWeights.isEmpty()) {
            double sum = 0;
            for (HealthCategory c : HealthCategory.values()) {
                Double w = categoryWeights.get(c);
                if (w == null) {
                    throw new IllegalArgumentException("categoryWeights must give all four dimensions, was "
                            + categoryWeights + " without " + c.name().toLowerCase(java.util.Locale.ROOT));
                }
                if (!Double.isFinite(w) || w < 0) {
                    throw new IllegalArgumentException("categoryWeights " + c.name().toLowerCase(java.util.Locale.ROOT)
                            + " must be a finite number >= 0, was " + w);
                }
                sum += w;
            }
            if (Math.abs(sum - 1.0) > 1e-6) {
                throw new IllegalArgumentException("categoryWeights must sum to 1, was " + sum);
            }
        }
        if (scoreWindow.isPresent() && (scoreWindow.get().isZero() || scoreWindow.get().isNegative())) {
            throw new IllegalArgumentException("scoreWindow must be > 0, was " + scoreWindow.get());
        }
        if (fastIntervalFactor.isPresent()
                && !(fastIntervalFactor.getAsDouble() > 0 && fastIntervalFactor.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("fastIntervalFactor must be in (0, 1], was "
                    + fastIntervalFactor.getAsDouble());
        }
    }

    /**
     * Puts these settings on {@code builder} and returns it.
     *
     * @param builder the builder to configure
     * @return {@code builder}
     */
    public HealthMonitoringSystem.Builder applyTo(HealthMonitoringSystem.Builder builder) {
        metrics.forEach(builder::metric);
        categoryWeights.forEach(builder::categoryWeight);
        scoreWindow.ifPresent(builder::scoreWindow);
        fastIntervalFactor.ifPresent(builder::fastIntervalFactor);
        return builder;
    }
}
