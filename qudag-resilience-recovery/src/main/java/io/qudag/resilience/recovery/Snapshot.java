package io.qudag.resilience.recovery;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A stored image of the recovered state (spec §4.2 incremental snapshots) that shortens replay:
 * it covers every journal record up to {@link #lastSequence()}.
 *
 * @param file            where it is stored
 * @param kind            a full image or a difference to the snapshot at {@link #baseSequence()}
 * @param lastSequence    the last journal record it covers
 * @param timestampMillis the timestamp of that record (when the state it holds was current)
 * @param baseSequence    for {@link Kind#DIFFERENTIAL}: the {@code lastSequence} of the snapshot it
 *                        is relative to; 0 for a full one
 */
public record Snapshot(Path file, Kind kind, long lastSequence, long timestampMillis, long baseSequence) {

    /** Full or differential. */
    public enum Kind {
        /** The whole state image. */
        FULL,
        /** The blocks that differ from the full snapshot at {@link Snapshot#baseSequence()}. */
        DIFFERENTIAL
    }

    /** {@return when the snapshot was taken} */
    public Instant timestamp() {
        return Instant.ofEpochMilli(timestampMillis);
    }
}
