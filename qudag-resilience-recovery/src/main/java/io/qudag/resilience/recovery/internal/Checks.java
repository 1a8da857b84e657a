package io.qudag.resilience.recovery.internal;

import java.time.Duration;

/**
 * Validation helpers for the recovery builders: every failure is an {@link IllegalArgumentException}
 * naming the field and the value.
 */
public final class Checks {

    private Checks() {
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null, was null");
        }
        return value;
    }

    public static Duration positive(String field, Duration value) {
        notNull(field, value);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value);
        }
        return value;
    }

    public static long inRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }
}
