package io.qudag.resilience.recovery.event;

import java.time.Instant;

/**
 * One step of a recovery (spec §4.1 automated recovery procedures: isolate, identify the last known
 * good state, recover, validate, resume). Every event is also written as an audit record.
 */
public sealed interface RecoveryEvent permits RecoveryStartedEvent, RecoveryProgressEvent, RecoveryCompletedEvent,
        CorruptionDetectedEvent, SegmentQuarantinedEvent, ValidationEvent, RecoveryResumedEvent {

    /** {@return when it happened, by the recovery manager's clock} */
    Instant at();
}
