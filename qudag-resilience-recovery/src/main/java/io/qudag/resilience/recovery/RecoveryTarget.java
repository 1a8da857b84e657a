package io.qudag.resilience.recovery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where a recovery stops (spec §4.2 point-in-time recovery, second-level precision): the newest
 * record, a sequence, or an instant. For an instant, the recovered state holds every record up to
 * the first one stamped after the instant truncated to whole seconds.
 */
public final class RecoveryTarget {

    private static final RecoveryTarget LATEST = new RecoveryTarget(Long.MAX_VALUE, null);

    private final long maxSequence;
    private final Instant instant;

    private RecoveryTarget(long maxSequence, Instant instant) {
        this.maxSequence = maxSequence;
        this.instant = instant;
    }

    /** {@return a target that recovers everything in the journal} */
    public static RecoveryTarget latest() {
        return LATEST;
    }

    /**
     * Records up to and including {@code sequence}.
     *
     * @param sequence the last sequence to include, at least 0
     * @return the target
     */
    public static RecoveryTarget sequence(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
        return new RecoveryTarget(sequence, null);
    }

    /**
     * Records stamped at or before {@code instant} truncated to whole seconds.
     *
     * @param instant the newest timestamp to include
     * @return the target
     */
    public static RecoveryTarget instant(Instant instant) {
        if (instant == null) {
            throw new IllegalArgumentException("instant must not be null, was null");
        }
        return new RecoveryTarget(Long.MAX_VALUE, instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@return the last sequence included ({@code Long.MAX_VALUE} for none)} */
    public long maxSequence() {
        return maxSequence;
    }

    /** {@return the instant (whole seconds), or {@code null} when the target is not an instant} */
    public Instant instant() {
        return instant;
    }

    /** {@return the newest record timestamp included, in milliseconds} */
    public long maxTimestampMillis() {
        return instant == null ? Long.MAX_VALUE : instant.toEpochMilli();
    }

    @Override
    public String toString() {
        if (instant != null) {
            return "instant " + instant;
        }
        return maxSequence == Long.MAX_VALUE ? "latest" : "sequence " + maxSequence;
    }
}
