package io.qudag.resilience.failover.event;

import java.time.Instant;

/**
 * Something the failover module reports to {@link FailoverListener}s (spec §1.2
 * {@code notification_system: real_time_alerts}). One record per kind.
 */
public sealed interface FailoverEvent
        permits DecisionEvent, EndpointStateChangedEvent, FailoverConfirmedEvent, DecisionSuppressedEvent,
        SessionReplicationEvent {

    /** {@return the endpoint group's name} */
    String group();

    /** {@return when it happened (from the injected clock)} */
    Instant at();
}
