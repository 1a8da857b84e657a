package io.qudag.resilience.core.health;

/**
 * Which way a {@link HealthIndicator}'s value goes bad (spec §1.2): a response time or an error rate
 * is worse when it is higher, a success rate is worse when it is lower.
 */
public enum IndicatorDirection {
    /** Larger values are worse (response time, error rate, CPU utilisation). The ideal is below the threshold. */
    HIGHER_IS_WORSE,
    /** Smaller values are worse (success rate, throughput). The ideal is above the threshold. */
    LOWER_IS_WORSE
}
