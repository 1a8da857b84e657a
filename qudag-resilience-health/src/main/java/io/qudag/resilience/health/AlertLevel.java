package io.qudag.resilience.health;

/**
 * The alert levels of a metric (spec §2.1 {@code alert_thresholds}), in rising severity. NONE means
 * the value is on the good side of the warning threshold.
 */
public enum AlertLevel {
    /** On the good side of the warning threshold. */
    NONE,
    /** At or past the warning threshold. */
    WARNING,
    /** At or past the critical threshold. */
    CRITICAL,
    /** At or past the emergency threshold. */
    EMERGENCY;

    /**
     * {@return whether this level is more severe than {@code other}}
     *
     * @param other the level compared with
     */
    public boolean isWorseThan(AlertLevel other) {
        return ordinal() > other.ordinal();
    }
}
