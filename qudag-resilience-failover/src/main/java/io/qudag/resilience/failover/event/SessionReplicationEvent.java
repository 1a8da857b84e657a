package io.qudag.resilience.failover.event;

import java.time.Instant;

/**
 * A session was re-created on a new endpoint after a decision (or failed to be).
 *
 * @param error the failure message, or {@code null} on success
 */
public record SessionReplicationEvent(String group, String decisionId, String sessionKey, String fromEndpointId,
                                      String toEndpointId, boolean success, String error, Instant at)
        implements FailoverEvent {
}
