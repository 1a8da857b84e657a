package io.qudag.resilience.core.breaker;

/**
 * A closed range {@code [min, max]} of a multiplier of the adaptive open duration (spec §3.1
 * {@code timeout_calculation.adaptive_factors}, e.g. failure severity 1.5–3.0). A normalised signal
 * {@code x} in [0, 1] maps to {@code min + (max - min) * x}. Validated by
 * {@link AdaptiveBreakerConfig.Builder#build()}.
 *
 * @param min the multiplier for a signal of 0
 * @param max the multiplier for a signal of 1
 */
public record MultiplierRange(double min, double max) {

    /**
     * {@return the multiplier for the normalised signal {@code x}, clamped to [0, 1]}
     *
     * @param x the normalised signal
     */
    public double at(double x) {
        double c = Double.isNaN(x) ? 0.5 : Math.max(0.0, Math.min(1.0, x));
        return min + (max - min) * c;
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}
