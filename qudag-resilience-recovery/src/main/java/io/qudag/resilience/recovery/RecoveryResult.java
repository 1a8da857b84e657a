package io.qudag.resilience.recovery;

import java.time.Duration;

/**
 * What a recovery produced (spec §4.2).
 *
 * @param state           the recovered state
 * @param target          what was asked for
 * @param lastSequence    the last record the state includes (0 when none)
 * @param lastTimestampMillis that record's timestamp (0 when none)
 * @param snapshot        the snapshot replay started from, or {@code null}
 * @param recordsReplayed records applied after the snapshot
 * @param lostRecords     records missing from the journal (quarantined) within the replayed range
 * @param took            how long it took
 * @param committed       whether the state became the live state
 * @param <S>             the state type
 */
public record RecoveryResult<S>(S state, RecoveryTarget target, long lastSequence, long lastTimestampMillis,
        Snapshot snapshot, long recordsReplayed, long lostRecords, Duration took, boolean committed) {
}
