package io.qudag.resilience.chaos.experiment;

/**
 * The range a probe's value must stay in for the steady state to hold (spec §5.1, hypothesis formation).
 * Either bound may be open ({@code NaN}). Immutable.
 */
public record Tolerance(double min, double max) {

    public Tolerance {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            throw new IllegalArgumentException("tolerance min must not exceed max, was " + min + " > " + max);
        }
        if (Double.isNaN(min) && Double.isNaN(max)) {
            throw new IllegalArgumentException("tolerance must bound at least one side, was [NaN, NaN]");
        }
    }

    /** {@return a tolerance of at least {@code min}} */
    public static Tolerance atLeast(double min) {
        return new Tolerance(min, Double.NaN);
    }

    /** {@return a tolerance of at most {@code max}} */
    public static Tolerance atMost(double max) {
        return new Tolerance(Double.NaN, max);
    }

    public static Tolerance between(double min, double max) {
        return new Tolerance(min, max);
    }

    /** {@return whether {@code value} is within; a NaN value (the probe failed) is not} */
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
