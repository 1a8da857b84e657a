package io.qudag.resilience.health;

/**
 * The alert levels of a metric (spec §2.1 {@code alert_thresholds}), in rising severity. NONE means
 * the value is on the good side of the warning threshold.
 */
public enum AlertLevel {
    NONE,
    WARNING,
    CRITICAL,
    EMERGENCY;

    /** {@return whether this level is more severe than {@code other}} */
    public boolean isWorseThan(AlertLevel other) {
        return ordinal() > other.ordinal();
    }
}
