package io.qudag.resilience.core.breaker;

import java.util.Locale;

/**
 * The five factors that adjust the failure threshold of the {@link AdaptiveCircuitBreaker}
 * (spec §3.1 {@code failure_threshold_calculation.adaptive_factors}), with the spec's default weights.
 * Each factor is fed by a pluggable {@link io.qudag.resilience.core.breaker.spi.FactorSignal}.
 */
public enum AdaptiveFactor {
    /** How this dependency has behaved in the past. Default weight 0.3. */
    HISTORICAL_PERFORMANCE(0.3),
    /** The load on the caller or the dependency now. Default weight 0.25. */
    CURRENT_LOAD(0.25),
    /** Whether this is a busy or a quiet time. Default weight 0.15. */
    TIME_OF_DAY(0.15),
    /** CPU, memory, connections left. Default weight 0.2. */
    RESOURCE_AVAILABILITY(0.2),
    /** Latency, loss and jitter of the network. Default weight 0.1. */
    NETWORK_CONDITIONS(0.1);

    private final double defaultWeight;

    AdaptiveFactor(double defaultWeight) {
        this.defaultWeight = defaultWeight;
    }

    /** {@return the spec's weight for this factor} */
    public double defaultWeight() {
        return defaultWeight;
    }

    /** {@return the name used in configuration messages, e.g. {@code current_load}} */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
