package io.qudag.resilience.core.bulkhead;

/** Priority of an {@link IsolationClass} (spec §1.3: low, medium, high, critical). */
public enum IsolationPriority {
    /** Low priority; the spec gives it to {@link IsolationClass#BACKGROUND}. */
    LOW,
    /** Medium priority; the spec gives it to {@link IsolationClass#USER}. */
    MEDIUM,
    /** High priority; the spec gives it to {@link IsolationClass#CRITICAL}. */
    HIGH,
    /** Highest priority; the spec gives it to {@link IsolationClass#EMERGENCY}. */
    CRITICAL
}
