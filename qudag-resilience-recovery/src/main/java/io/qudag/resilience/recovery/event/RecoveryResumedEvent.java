package io.qudag.resilience.recovery.event;

import java.time.Instant;

/**
 * Normal operation resumed on the recovered state (spec §4.1 resume_normal_operations).
 *
 * @param at           when
 * @param lastSequence the last record the live state includes
 * @param lostRecords  records lost with quarantined segments and not covered by a snapshot
 */
public record RecoveryResumedEvent(Instant at, long lastSequence, long lostRecords) implements RecoveryEvent {
}
