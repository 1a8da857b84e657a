package io.qudag.resilience.chaos;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long an injected delay lasts (spec §5.1 {@code high_latency}): fixed, uniform over a range, or
 * drawn from a distribution (normal or exponential), always capped. Immutable; validated when made.
 */
public final class LatencyProfile {

    private enum Shape { FIXED, RANGE, NORMAL, EXPONENTIAL }

    private final Shape shape;
    private final long aNanos;
    private final long bNanos;
    private final long capNanos;

    private LatencyProfile(Shape shape, long aNanos, long bNanos, long capNanos) {
        this.shape = shape;
        this.aNanos = aNanos;
        this.bNanos = bNanos;
        this.capNanos = capNanos;
    }

    /**
     * Always {@code delay}.
     *
     * @param delay a positive duration
     * @return the profile
     */
    public static LatencyProfile fixed(Duration delay) {
        positive("delay", delay);
        return new LatencyProfile(Shape.FIXED, delay.toNanos(), 0, delay.toNanos());
    }

    /**
     * {@return uniform between {@code min} and {@code max}}
     *
     * @param min the shortest delay, positive
     * @param max the longest delay, not below {@code min}
     */
    public static LatencyProfile range(Duration min, Duration max) {
        positive("min", min);
        positive("max", max);
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max must not be below min, was " + max + " < " + min);
        }
        return new LatencyProfile(Shape.RANGE, min.toNanos(), max.toNanos(), max.toNanos());
    }

    /**
     * {@return normal with {@code mean} and {@code stdDev}, clipped to 0 … {@code cap}}
     *
     * @param mean   the mean delay, positive
     * @param stdDev the standard deviation, positive
     * @param cap    the longest delay, positive
     */
    public static LatencyProfile normal(Duration mean, Duration stdDev, Duration cap) {
        positive("mean", mean);
        positive("stdDev", stdDev);
        positive("cap", cap);
        return new LatencyProfile(Shape.NORMAL, mean.toNanos(), stdDev.toNanos(), cap.toNanos());
    }

    /**
     * {@return exponential with {@code mean} (a heavy tail of slow calls), capped at {@code cap}}
     *
     * @param mean the mean delay, positive
     * @param cap  the longest delay, positive
     */
    public static LatencyProfile exponential(Duration mean, Duration cap) {
        positive("mean", mean);
        positive("cap", cap);
        return new LatencyProfile(Shape.EXPONENTIAL, mean.toNanos(), 0, cap.toNanos());
    }

    /** {@return the longest delay this profile can draw} */
    public Duration max() {
        return Duration.ofNanos(capNanos);
    }

    /**
     * Draws one delay in nanoseconds; {@code uniform} yields values in [0, 1).
     *
     * @param uniform the random source
     * @return the delay in nanoseconds, at most {@link #max()}
     */
    public long sampleNanos(DoubleSupplier uniform) {
        switch (shape) {
            case FIXED:
                return aNanos;
            case RANGE:
                return aNanos + (long) (uniform.getAsDouble() * (bNanos - aNanos));
            case NORMAL: {
                double u1 = Math.max(uniform.getAsDouble(), 1e-12);
                double u2 = uniform.getAsDouble();
                double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                return clip((long) (aNanos + z * bNanos));
            }
            default:
                return clip((long) (-Math.log(1 - uniform.getAsDouble()) * aNanos));
        }
    }

    private long clip(long nanos) {
        return Math.max(0, Math.min(capNanos, nanos));
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
    }

    @Override
    public String toString() {
        return "LatencyProfile{" + shape + ", " + Duration.ofNanos(aNanos) + (shape == Shape.FIXED ? "" : ", "
                + Duration.ofNanos(bNanos)) + ", cap " + Duration.ofNanos(capNanos) + '}';
    }
}
