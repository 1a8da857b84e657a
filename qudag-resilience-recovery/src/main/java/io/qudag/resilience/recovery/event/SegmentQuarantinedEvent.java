package io.qudag.resilience.recovery.event;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A damaged segment was moved aside, never deleted (spec §4.1 isolate_corrupted_data).
 *
 * @param at      when
 * @param file    where it was
 * @param movedTo where it is now
 */
public record SegmentQuarantinedEvent(Instant at, Path file, Path movedTo) implements RecoveryEvent {
}
