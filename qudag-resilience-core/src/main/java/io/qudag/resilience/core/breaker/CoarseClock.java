package io.qudag.resilience.core.breaker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Clock} that reads its source only every {@code resolution} (on an injected scheduler)
 * and otherwise answers from a volatile field. Reading the system clock costs ~20 ns on some
 * virtual machines, which is most of the {@link AdaptiveCircuitBreaker}'s success path (spec §3.1);
 * its sliding window has 10 s buckets, so millisecond precision buys nothing there. Inject one
 * shared instance into many breakers or a {@code BreakerHierarchy}; {@link #close()} stops the
 * refresh task (the scheduler itself belongs to the caller).
 *
 * <p>Do not use it where exact timestamps matter; {@link #withZone} returns a zoned view of the
 * source clock, not a coarse one.
 */
public final class CoarseClock extends Clock implements AutoCloseable {

    private final Clock source;
    private final ScheduledFuture<?> refresh;
    private final Duration resolution;
    private volatile long millis;

    private CoarseClock(Clock source, Duration resolution, ScheduledExecutorService scheduler) {
        this.source = source;
        this.resolution = resolution;
        this.millis = source.millis();
        long period = resolution.toNanos();
        this.refresh = scheduler.scheduleAtFixedRate(() -> millis = source.millis(), period, period,
                TimeUnit.NANOSECONDS);
    }

    /**
     * Starts a coarse clock.
     *
     * @param source     the clock it samples, e.g. {@link Clock#systemUTC()}
     * @param resolution how often it samples (positive, e.g. 10 ms)
     * @param scheduler  runs the sampling task
     * @throws IllegalArgumentException naming the bad argument
     * @return the running clock; close it to stop sampling
     */
    public static CoarseClock start(Clock source, Duration resolution, ScheduledExecutorService scheduler) {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null, was null");
        }
        if (resolution == null || resolution.isZero() || resolution.isNegative()) {
            throw new IllegalArgumentException("resolution must be a positive duration, was " + resolution);
        }
        if (scheduler == null) {
            throw new IllegalArgumentException("scheduler must not be null, was null");
        }
        return new CoarseClock(source, resolution, scheduler);
    }

    /** {@return how often the source is sampled, i.e. how far behind it this clock may be} */
    public Duration resolution() {
        return resolution;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return source.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return source.withZone(zone);
    }

    /** Stops sampling; the clock keeps answering the last sample. */
    @Override
    public void close() {
        refresh.cancel(false);
    }
}
