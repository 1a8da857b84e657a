package io.qudag.resilience.failover.event;

import io.qudag.resilience.core.spi.FailoverCoordinator;
import io.qudag.resilience.failover.FailoverCondition;
import java.time.Instant;

/**
 * A decision was not made because this process may not decide ({@link FailoverCoordinator.Role} is
 * not LEADER) or the coordinator did not commit it (split-brain prevention).
 */
public record DecisionSuppressedEvent(String group, String endpointId, FailoverCondition condition,
                                      FailoverCoordinator.Role role, Instant at) implements FailoverEvent {
}
