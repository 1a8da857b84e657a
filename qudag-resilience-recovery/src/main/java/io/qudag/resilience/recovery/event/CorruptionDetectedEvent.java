package io.qudag.resilience.recovery.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The scrubber found a damaged record or snapshot (spec §4.1 data_corruption_detection).
 *
 * @param at      when
 * @param file    the damaged file
 * @param offset  where in it
 * @param problem what is wrong
 */
public record CorruptionDetectedEvent(Instant at, Path file, long offset, String problem) implements RecoveryEvent {
}
