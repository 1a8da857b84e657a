package io.qudag.resilience.core.internal;

import java.time.Duration;

/** Bounds shared by the core's configuration builders. */
public final class Limits {

    /**
     * The longest duration a builder accepts: 100 years. Longer ones overflow the nanosecond and
     * millisecond arithmetic of clocks and windows; to switch a rule off, use its own setting.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);

    private Limits() {
    }

    /** {@code d} if it is at most {@link #MAX_DURATION}, else an error naming {@code field} and {@code d}. */
    public static Duration atMostMaxDuration(String field, Duration d) {
        if (d != null && d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_DURATION + " (100 years), was " + d);
        }
        return d;
    }
}
