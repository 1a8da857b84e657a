package io.qudag.resilience.health;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Real time, running {@code factor} times faster: real servers, real kills and real load, while windows
 * of a minute pass in seconds. Events keep their order and their real spacing, scaled.
 */
final class ScaledClock extends Clock {

    private final Instant base = Instant.parse("2026-01-01T00:00:00Z");
    private final long startNanos = System.nanoTime();
    private final long factor;

    ScaledClock(long factor) {
        this.factor = factor;
    }

    long factor() {
        return factor;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return base.plusNanos((System.nanoTime() - startNanos) * factor);
    }
}
