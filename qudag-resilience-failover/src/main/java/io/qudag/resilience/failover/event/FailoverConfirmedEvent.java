package io.qudag.resilience.failover.event;

import java.time.Duration;
import java.time.Instant;

/**
 * The first successful call on a target of a decision after it was executed: the end of the failover
 * as a caller sees it. {@code sinceDecision} is decision-to-first-success (spec budget 500 ms).
 */
public record FailoverConfirmedEvent(String group, String decisionId, String endpointId, Duration sinceDecision,
                                     Instant at) implements FailoverEvent {
}
