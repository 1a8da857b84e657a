package io.qudag.resilience.core.bulkhead;

/** Priority of an {@link IsolationClass} (spec §1.3: low, medium, high, critical). */
public enum IsolationPriority {
    LOW, MEDIUM, HIGH, CRITICAL
}
