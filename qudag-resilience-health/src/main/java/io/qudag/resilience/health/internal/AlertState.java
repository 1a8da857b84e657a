package io.qudag.resilience.health.internal;

import io.qudag.resilience.health.AlertLevel;
import io.qudag.resilience.health.MetricSpec;

/**
 * The alert level of one metric of one subject with hysteresis (spec §2.1): the level rises as soon
 * as a sample reaches a higher threshold and falls only when a sample is better than the current
 * level's threshold by the spec's hysteresis; then it falls to the level that sample has (again
 * judged with hysteresis). Not thread-safe: one writer per subject and metric.
 */
public final class AlertState {

    private final MetricSpec spec;
    private volatile AlertLevel level = AlertLevel.NONE;

    public AlertState(MetricSpec spec) {
        this.spec = spec;
    }

    public AlertLevel level() {
        return level;
    }

    /** Applies one sample and returns the new level (the same object when nothing changed). */
    public AlertLevel apply(double value) {
        AlertLevel current = level;
        AlertLevel raw = spec.levelOf(value);
        if (raw.isWorseThan(current)) {
            level = raw;
            return raw;
        }
        if (current == AlertLevel.NONE) {
            return current;
        }
        // leave the current level only with margin; find the worst level the sample still holds with margin
        AlertLevel next = current;
        while (next != AlertLevel.NONE && clearedWithMargin(value, spec.threshold(next))) {
            next = AlertLevel.values()[next.ordinal() - 1];
        }
        level = next;
        return next;
    }

    private boolean clearedWithMargin(double value, double threshold) {
        double h = spec.hysteresis();
        return spec.direction() == io.qudag.resilience.core.health.IndicatorDirection.HIGHER_IS_WORSE
                ? value < threshold - h : value > threshold + h;
    }
}
