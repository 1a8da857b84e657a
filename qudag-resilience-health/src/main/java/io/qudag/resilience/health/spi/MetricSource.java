package io.qudag.resilience.health.spi;

import java.util.OptionalDouble;

/**
 * Where the samples of one metric come from (spec §2.1 {@code monitoring_dimensions}): a JMX bean, a
 * file such as {@code /proc/diskstats}, a Micrometer meter, a user's gauge. The monitoring system
 * reads it once per collection interval on its collector thread.
 *
 * <p>A source that cannot work on this platform says so with {@link State#UNSUPPORTED} and is never
 * read; it does not fake a 0. A source that has nothing this time (the first CPU reading, no calls in
 * the interval) returns an empty sample, which is skipped, not recorded.
 */
public interface MetricSource {

    /** Whether the source can deliver samples. */
    enum State {
        /** Samples can be read. */
        AVAILABLE,
        /** The platform lacks what the source reads (e.g. no {@code /proc/diskstats}); never read. */
        UNSUPPORTED
    }

    /** {@return the metric this source samples (a {@code MetricSpec} name)} */
    String metric();

    /** {@return whether this source can be read here; AVAILABLE unless a source overrides it} */
    default State state() {
        return State.AVAILABLE;
    }

    /**
     * Reads one sample now; empty when there is none this time. Must not block for long; an exception
     * is logged and counted by the caller and the sample skipped.
     *
     * @return the value, or empty when there is none this time
     */
    OptionalDouble sample();
}
