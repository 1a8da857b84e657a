package io.qudag.resilience.mcp.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real time plus an offset the test moves forward: real latencies (a failover after a SIGKILL) are
 * measured in real time, while waits of minutes (health-check intervals, a 300 s ramp) are skipped
 * deterministically by {@link #advance}.
 */
public final class MutableClock extends Clock {

    private final Clock base;
    private final AtomicLong offsetNanos = new AtomicLong();

    public MutableClock() {
        this(Clock.systemUTC());
    }

    public MutableClock(Clock base) {
        this.base = base;
    }

    /** Moves this clock {@code d} ahead of real time (cumulative). */
    public void advance(Duration d) {
        offsetNanos.addAndGet(d.toNanos());
    }

    /** How far ahead of real time this clock is. */
    public Duration offset() {
        return Duration.ofNanos(offsetNanos.get());
    }

    @Override
    public Instant instant() {
        return base.instant().plusNanos(offsetNanos.get());
    }

    @Override
    public long millis() {
        return base.millis() + offsetNanos.get() / 1_000_000;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
