package io.qudag.resilience.recovery.event;

import java.time.Duration;
import java.time.Instant;

/**
 * A recovery finished.
 *
 * @param at              when
 * @param lastSequence    the last journal record the recovered state includes
 * @param recordsReplayed records applied after the snapshot
 * @param lostRecords     records that could not be read (quarantined segments)
 * @param took            how long it took (the measured recovery time)
 * @param committed       whether the result became the live state
 */
public record RecoveryCompletedEvent(Instant at, long lastSequence, long recordsReplayed, long lostRecords, Duration took,
        boolean committed) implements RecoveryEvent {
}
