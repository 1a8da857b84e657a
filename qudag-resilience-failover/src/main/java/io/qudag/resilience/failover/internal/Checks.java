package io.qudag.resilience.failover.internal;

import io.qudag.resilience.core.internal.Limits;
import java.time.Duration;

/** Validation helpers for the builders: each failure names the field and the value. */
public final class Checks {

    private Checks() {
    }

    public static double range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /** {@code min < value <= max}. */
    public static double openClosed(String field, double value, double min, double max) {
        if (!(value > min && value <= max)) {
            throw new IllegalArgumentException(field + " must be in (" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    public static double atLeast(String field, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be >= " + min + " and finite, was " + value);
        }
        return value;
    }

    public static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    /** A duration of at least 1 ms (the engine's clock resolution) and at most 100 years. */
    public static Duration positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration, was " + value);
        }
        if (value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(field + " must be at least 1 ms, was " + value);
        }
        return Limits.atMostMaxDuration(field, value);
    }

    public static Duration notNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
        return value;
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null, was null");
        }
        return value;
    }
}
