package io.qudag.resilience.chaos.experiment;

/**
 * The range a probe's value must stay in for the steady state to hold (spec §5.1, hypothesis formation).
 * Either bound may be open ({@code NaN}). Immutable.
 */
public record Tolerance(double min, double max) {

    /**
     * Validates the bounds.
     *
     * @param min the lowest acceptable value, or NaN for none
     * @param max the highest acceptable value, or NaN for none
     * @throws IllegalArgumentException when both are NaN or {@code min > max}
     */
    public Tolerance {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            throw new IllegalArgumentException("tolerance min must not exceed max, was " + min + " > " + max);
        }
        if (Double.isNaN(min) && Double.isNaN(max)) {
            throw new IllegalArgumentException("tolerance must bound at least one side, was [NaN, NaN]");
        }
    }

    /**
     * {@return a tolerance of at least {@code min}}
     *
     * @param min the lowest acceptable value
     */
    public static Tolerance atLeast(double min) {
        return new Tolerance(min, Double.NaN);
    }

    /**
     * {@return a tolerance of at most {@code max}}
     *
     * @param max the highest acceptable value
     */
    public static Tolerance atMost(double max) {
        return new Tolerance(Double.NaN, max);
    }

    /**
     * {@return a tolerance of {@code min} to {@code max}, both included}
     *
     * @param min the lowest acceptable value
     * @param max the highest acceptable value
     */
    public static Tolerance between(double min, double max) {
        return new Tolerance(min, max);
    }

    /**
     * {@return whether {@code value} is within; a NaN value (the probe failed) is not}
     *
     * @param value the probe's reading
     */
    public boolean accepts(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return (Double.isNaN(min) || value >= min) && (Double.isNaN(max) || value <= max);
    }

    @Override
    public String toString() {
        if (Double.isNaN(min)) {
            return "<= " + max;
        }
        if (Double.isNaN(max)) {
            return ">= " + min;
        }
        return min + " .. " + max;
    }
}
