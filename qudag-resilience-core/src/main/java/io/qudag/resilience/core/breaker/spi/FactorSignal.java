package io.qudag.resilience.core.breaker.spi;

/**
 * A pluggable source of one normalised signal for the {@code AdaptiveCircuitBreaker} (spec §3.1):
 * the value of an {@link io.qudag.resilience.core.breaker.AdaptiveFactor} or the system load that
 * stretches the open duration. Modules that own the measurement (health, failover, the MCP binding)
 * implement it; core only reads it.
 *
 * <p>Meaning of the value for threshold factors: a <em>tolerance</em> in [0, 1], where 0 asks for
 * the strictest threshold (trip early), 0.5 is neutral and 1 the most lenient. For the system load
 * signal: 0 is idle, 1 saturated. Values outside [0, 1] are clamped, NaN counts as neutral.
 *
 * <p>Sampled at most once per adaptation interval, never on the success path; must be cheap,
 * thread-safe and must not throw.
 */
@FunctionalInterface
public interface FactorSignal {

    /** {@return the current normalised value} */
    double value();

    /**
     * {@return a signal that always reports {@code value}}
     *
     * @param value the signal, in [0, 1]
     */
    static FactorSignal constant(double value) {
        return () -> value;
    }
}
